import { createHash, type Hash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { makeDirectory } from '../make-directory.js';
import { ModelDownloadError } from './download-error.js';
import { openRange, type RangeResponse } from './range-request.js';

export interface DownloadProgress {
  /** Bytes on disk so far, including those resumed from the .part file. */
  receivedBytes: number;
  /** Size of the whole file, when known. */
  totalBytes: number | null;
  /** Bytes that were already in the .part file when this run started. */
  resumedFromBytes: number;
  /** Average speed of this run. */
  bytesPerSecond: number;
}

export interface DownloadOptions {
  /** http(s) URL of the file; redirects are followed. */
  url: string;
  /** Final path. Bytes go to `<dest>.part` and are renamed only once verified. */
  dest: string;
  /** Expected lower-case hex SHA-256. Defaults to none: the file is kept unverified (onWarning says so). */
  sha256?: string;
  /** Expected size in bytes. Defaults to what the server announces. */
  sizeBytes?: number;
  /** Called as bytes arrive (at most every 100 ms, and once at the end). Defaults to none. */
  onProgress?: (progress: DownloadProgress) => void;
  /** Called with a human-readable warning (no checksum, server ignored Range…). Defaults to none. */
  onWarning?: (message: string) => void;
  /** Cancels the download; the .part file is kept for a resume. Defaults to none. */
  signal?: AbortSignal;
  /** Gives up when no byte arrives for this long (the .part is kept). Defaults to 30000 ms. */
  idleTimeoutMs?: number;
}

export interface DownloadResult {
  path: string;
  bytes: number;
  sha256: string;
  /** False when no expected checksum was given. */
  verified: boolean;
  /** True when the final file was already there (and matched); nothing was fetched. */
  alreadyPresent: boolean;
  resumedFromBytes: number;
}

/**
 * Downloads a file with resume and verification: bytes are appended to `<dest>.part` (a later
 * run continues it with an HTTP Range request), hashed as they arrive, and the .part is renamed
 * to dest only when the SHA-256 matches. A mismatch deletes the .part, so a retry starts clean.
 */
export async function downloadFile(options: DownloadOptions): Promise<DownloadResult> {
  const { dest, sha256 } = options;
  const warn = options.onWarning ?? (() => undefined);
  await mkdir(path.dirname(dest));
  const existing = await checkExisting(options);
  if (existing) return existing;
  if (!sha256) warn(`No checksum is known for ${path.basename(dest)}: the download cannot be verified.`);

  const part = `${dest}.part`;
  let start = fileSize(part);
  if (options.sizeBytes !== undefined && start > options.sizeBytes) {
    warn(`${path.basename(part)} is larger than the expected file; starting over.`);
    start = truncate(part);
  }
  // A .part as long as the expected file needs no request: go straight to verification.
  const needsBytes = options.sizeBytes === undefined || start < options.sizeBytes;
  const response = needsBytes ? await openRange(options.url, start, options.signal) : null;
  if (response?.restart) {
    if (start > 0) warn('The server cannot resume this download; starting over.');
    start = truncate(part);
  }
  const hash = createHash('sha256');
  await hashFile(part, hash);
  if (response && !response.complete) await receive(response, part, hash, options, start);
  return finish(part, hash, options, start);
}

async function checkExisting(options: DownloadOptions): Promise<DownloadResult | null> {
  const size = fileSize(options.dest);
  if (size === 0) return null;
  if (!options.sha256) {
    if (options.sizeBytes !== undefined && size !== options.sizeBytes) return null;
    return { path: options.dest, bytes: size, sha256: '', verified: false, alreadyPresent: true, resumedFromBytes: 0 };
  }
  const hash = createHash('sha256');
  await hashFile(options.dest, hash);
  const digest = hash.digest('hex');
  if (digest !== options.sha256) {
    throw new ModelDownloadError(
      'checksum',
      `${options.dest} exists but its SHA-256 is ${digest}, not the published ${options.sha256}. ` +
        'Delete it (or move it away) and run the download again.',
    );
  }
  return { path: options.dest, bytes: size, sha256: digest, verified: true, alreadyPresent: true, resumedFromBytes: 0 };
}

/** Streams the response body onto the end of the .part file, hashing and reporting as it goes. */
async function receive(
  response: RangeResponse,
  part: string,
  hash: Hash,
  options: DownloadOptions,
  start: number,
): Promise<void> {
  const total = options.sizeBytes ?? response.totalBytes;
  const startedAt = Date.now();
  let received = start;
  let lastReport = 0;
  const report = (force: boolean) => {
    const now = Date.now();
    if (!options.onProgress || (!force && now - lastReport < 100)) return;
    lastReport = now;
    const seconds = Math.max((now - startedAt) / 1000, 0.001);
    options.onProgress({
      receivedBytes: received,
      totalBytes: total,
      resumedFromBytes: start,
      bytesPerSecond: (received - start) / seconds,
    });
  };
  const idle = new IdleTimer(options.idleTimeoutMs ?? 30_000, () => response.abort());
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      idle.reset();
      hash.update(chunk);
      received += chunk.length;
      report(false);
      callback(null, chunk);
    },
  });
  try {
    const body = Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
    await pipeline(body, meter, fs.createWriteStream(part, { flags: start > 0 ? 'a' : 'w' }));
  } catch (error) {
    throw streamError(error, options, received, total, part, idle.fired);
  } finally {
    idle.stop();
    report(true);
  }
}

function streamError(
  error: unknown,
  options: DownloadOptions,
  received: number,
  total: number | null,
  part: string,
  timedOut: boolean,
): ModelDownloadError {
  const code = (error as { code?: string }).code;
  if (code === 'ENOSPC' || code === 'EACCES' || code === 'EROFS' || code === 'EPERM') {
    return new ModelDownloadError('io', `Cannot write ${part}: ${(error as Error).message}`);
  }
  const mb = (n: number) => (n / 1e6).toFixed(1);
  const where = `after ${mb(received)} MB${total ? ` of ${mb(total)} MB` : ''}`;
  if (options.signal?.aborted) {
    return new ModelDownloadError('aborted', `Download cancelled ${where}; run it again to resume.`);
  }
  const why = timedOut ? 'no data for too long' : 'the connection was closed';
  return new ModelDownloadError(
    'interrupted',
    `Download interrupted ${where} (${why}). Run the same command again to resume from ${part}.`,
  );
}

async function finish(
  part: string,
  hash: Hash,
  options: DownloadOptions,
  resumedFrom: number,
): Promise<DownloadResult> {
  const bytes = fileSize(part);
  const expected = options.sizeBytes;
  if (expected !== undefined && bytes < expected) {
    throw new ModelDownloadError(
      'interrupted',
      `Download stopped at ${bytes} of ${expected} bytes. Run the same command again to resume from ${part}.`,
    );
  }
  const digest = hash.digest('hex');
  if (options.sha256 && digest !== options.sha256) {
    fs.rmSync(part, { force: true });
    throw new ModelDownloadError(
      'checksum',
      `Checksum mismatch for ${path.basename(options.dest)}: expected SHA-256 ${options.sha256}, got ${digest} ` +
        `(${bytes} bytes). The partial file was deleted; run the download again to start afresh.`,
    );
  }
  fs.renameSync(part, options.dest);
  return {
    path: options.dest,
    bytes,
    sha256: digest,
    verified: Boolean(options.sha256),
    alreadyPresent: false,
    resumedFromBytes: resumedFrom,
  };
}

/** Feeds a file's bytes into a running hash (used for what a previous run already saved). */
export async function hashFile(file: string, hash: Hash): Promise<void> {
  if (fileSize(file) === 0) return;
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
}

/** The SHA-256 of a whole file, as lower-case hex. */
export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  await hashFile(file, hash);
  return hash.digest('hex');
}

function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

function truncate(file: string): 0 {
  fs.rmSync(file, { force: true });
  return 0;
}

async function mkdir(dir: string): Promise<void> {
  try {
    makeDirectory(dir);
  } catch (error) {
    throw new ModelDownloadError('io', `Cannot create ${dir}: ${(error as Error).message}`);
  }
}

/** Aborts a stalled transfer: the server keeps the socket open but sends nothing. */
class IdleTimer {
  private timer: NodeJS.Timeout;
  fired = false;
  constructor(
    private readonly ms: number,
    private readonly onIdle: () => void,
  ) {
    this.timer = setTimeout(() => this.fire(), ms);
  }
  reset(): void {
    this.timer.refresh();
  }
  stop(): void {
    clearTimeout(this.timer);
  }
  private fire(): void {
    this.fired = true;
    this.onIdle();
  }
}
