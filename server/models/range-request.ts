import { connectError, ModelDownloadError } from './download-error.js';

/** An open response whose body continues the file at the requested offset (or restarts it). */
export interface RangeResponse {
  /** The body to append; null when there is nothing left to fetch. */
  body: ReadableStream<Uint8Array> | null;
  /** Size of the whole file, if the server said. */
  totalBytes: number | null;
  /** The body starts at byte 0: the caller must discard what it had. */
  restart: boolean;
  /** The file was already complete at the requested offset (HTTP 416 at its exact end). */
  complete: boolean;
  /** Stops the transfer (used by the idle timeout). */
  abort(): void;
}

/**
 * GETs url from byte `start` on with a Range header, following redirects. Handles servers that
 * ignore Range (200: restart), answer a different range (re-fetch whole) or say 416 because the
 * .part is already complete. Throws ModelDownloadError for network and HTTP errors.
 */
export async function openRange(url: string, start: number, signal?: AbortSignal): Promise<RangeResponse> {
  const controller = new AbortController();
  const abort = () => controller.abort();
  const linked = signal ? AbortSignal.any([signal, controller.signal]) : controller.signal;
  // identity: a compressed body would make byte offsets meaningless for a resume.
  const headers: Record<string, string> = { 'accept-encoding': 'identity', 'user-agent': 'pocketllm-portal' };
  if (start > 0) headers.range = `bytes=${start}-`;
  let response: Response;
  try {
    response = await fetch(url, { headers, redirect: 'follow', signal: linked });
  } catch (error) {
    if (signal?.aborted) throw new ModelDownloadError('aborted', 'Download cancelled.');
    throw connectError(url, error);
  }
  const range = parseContentRange(response.headers.get('content-range'));
  const length = numberHeader(response.headers.get('content-length'));

  if (response.status === 206 && range && range.first === start) {
    return { body: response.body, totalBytes: range.total, restart: false, complete: false, abort };
  }
  if (response.status === 416 && start > 0) {
    await response.body?.cancel();
    if (range?.total === start) return { body: null, totalBytes: start, restart: false, complete: true, abort };
    return { ...(await openRange(url, 0, signal)), restart: true };
  }
  if (response.status === 206) {
    // A range we did not ask for: fetch the whole file instead of guessing.
    await response.body?.cancel();
    return { ...(await openRange(url, 0, signal)), restart: true };
  }
  if (response.ok) {
    return { body: response.body, totalBytes: length, restart: start > 0, complete: false, abort };
  }
  await response.body?.cancel();
  throw httpError(url, response);
}

function httpError(url: string, response: Response): ModelDownloadError {
  const status = response.status;
  const what =
    status === 404 ? 'File not found' : status >= 500 ? 'The server failed' : 'The server refused the download';
  const hint = status === 404 ? ' The catalog entry may be out of date.' : status >= 500 ? ' Try again later.' : '';
  return new ModelDownloadError(
    'http',
    `${what} (HTTP ${status}${response.statusText ? ` ${response.statusText}` : ''}) at ${safeUrl(url)}.${hint}`,
    status,
  );
}

/** The URL without credentials or query string (signed URLs carry tokens there). */
export function safeUrl(url: string): string {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
}

function parseContentRange(value: string | null): { first: number; total: number | null } | null {
  const match = value ? /^bytes (?:(\d+)-\d+|\*)\/(\d+|\*)$/.exec(value.trim()) : null;
  if (!match) return null;
  return {
    first: match[1] === undefined ? -1 : Number(match[1]),
    total: match[2] === '*' || match[2] === undefined ? null : Number(match[2]),
  };
}

function numberHeader(value: string | null): number | null {
  return value !== null && /^\d+$/.test(value) ? Number(value) : null;
}
