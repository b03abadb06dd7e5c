import fs from 'node:fs';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type SQLite from 'better-sqlite3';

export interface CheckpointResult {
  /** The checkpoint could not finish (a reader or writer held it off); the next one carries on. */
  busy: boolean;
  walFrames: number;
  checkpointedFrames: number;
}

export interface WalCheckpointerOptions {
  /** A WAL file this large starts the checkpoint thread. Defaults to 4 MiB (SQLite's own 1000 pages). */
  startBytes?: number;
  /** A WAL still this long (frames of 4 KiB) after a checkpoint brings the automatic checkpoint back until it has started over. Defaults to 16384 (64 MiB). */
  backstopFrames?: number;
  /** Pause between checkpoints while writes keep coming. Defaults to 100 ms. */
  busyIntervalMs?: number;
  /** Pause when the last checkpoint found nothing new, and between looks at the WAL's size before the thread starts. Defaults to 1000 ms. */
  idleIntervalMs?: number;
  /** Told after each checkpoint. */
  onCheckpoint?: (result: CheckpointResult) => void;
}

/**
 * SQLite checkpoints the WAL inside whichever commit crosses 1000 pages: copying them back and
 * an fsync on the event loop, so now and then a chat turn waits for it (docs/benchmarks.md,
 * finding 5). Here the connection's automatic checkpoint is off and a worker thread with
 * a connection of its own checkpoints instead: WAL lets a checkpoint run beside the writer. The
 * thread starts only once the WAL has grown, so short-lived databases (tests, tools) never pay
 * for it. If it dies, the automatic checkpoint comes back: the WAL never grows without bound.
 */
export function startWalCheckpointer(sqlite: SQLite.Database, file: string, options: WalCheckpointerOptions = {}) {
  const startBytes = options.startBytes ?? 4 * 1024 * 1024;
  const busyMs = options.busyIntervalMs ?? 100;
  const backstopFrames = options.backstopFrames ?? 16_384;
  const idleMs = options.idleIntervalMs ?? 1000;
  const autocheckpoint = sqlite.pragma('wal_autocheckpoint', { simple: true }) as number;
  let automatic = true;
  const setAutocheckpoint = (on: boolean) => {
    if (on === automatic || !sqlite.open) return;
    automatic = on;
    sqlite.pragma(`wal_autocheckpoint = ${on ? autocheckpoint : 0}`);
  };
  setAutocheckpoint(false);
  // The WAL file keeps the size it grew to (SQLite's default, bounded by the backstop below).
  // Cutting it back made the first commit after a restart of the log free the excess, inside
  // the commit. Cut back from this thread instead, the writes that grew it again paid for it;
  // writing over blocks it has costs neither (measured: see docs/benchmarks.md, finding 5).
  sqlite.pragma('journal_size_limit = -1');
  let worker: Worker | null = null;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let last: CheckpointResult | null = null;

  const later = (ms: number, next: () => void) => {
    timer = setTimeout(next, ms).unref();
  };
  const fallBack = () => {
    clearTimeout(timer);
    worker = null;
    if (!stopped) setAutocheckpoint(true);
  };
  const onResult = (result: CheckpointResult) => {
    // The WAL starts over only when a write begins with every frame copied, which writes that
    // never pause prevent. Then SQLite's own checkpoint, run inside a commit, takes over until
    // the log has started over: stalls, but a bounded file.
    setAutocheckpoint(result.walFrames >= backstopFrames);
    // The same frames as last time: nothing was written since, so look again less often.
    const idle =
      last !== null && result.walFrames === last.walFrames && result.checkpointedFrames === last.checkpointedFrames;
    last = result;
    options.onCheckpoint?.(result);
    // While the commits checkpoint, this thread keeps out of their way and only looks back later.
    if (!stopped) later(idle || automatic ? idleMs : busyMs, () => worker?.postMessage('checkpoint'));
  };
  const start = () => {
    const thread = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { file, sqlite: createRequire(import.meta.url).resolve('better-sqlite3') },
    });
    thread.unref();
    thread.on('message', onResult);
    thread.on('error', fallBack);
    thread.on('exit', fallBack);
    thread.postMessage('checkpoint');
    return thread;
  };
  const watch = () =>
    fs.stat(`${file}-wal`, (error, stat) => {
      if (stopped) return;
      if (!error && stat.size >= startBytes) worker = start();
      else later(idleMs, watch);
    });
  later(idleMs, watch);

  return {
    /** Ends the thread; its connection closes first. Safe to call twice. */
    stop(): void {
      stopped = true;
      clearTimeout(timer);
      worker?.postMessage('stop');
    },
  };
}

/**
 * The checkpoint thread: a connection of its own that runs PASSIVE checkpoints (they copy what
 * they can without waiting for, or blocking, the writer and readers) when asked, and says how
 * far it got. Plain JavaScript, so the thread starts without a TypeScript loader: from source
 * (tsx) a worker's loader costs about a second of CPU, which landed in the middle of serving.
 * Messages in: 'checkpoint' | 'stop'. Out: a CheckpointResult per checkpoint.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const SQLite = require(workerData.sqlite);
const sqlite = new SQLite(workerData.file, { fileMustExist: true });
parentPort.on('message', (message) => {
  if (message === 'stop') {
    sqlite.close();
    parentPort.close();
    return;
  }
  const [row] = sqlite.pragma('wal_checkpoint(PASSIVE)');
  parentPort.postMessage({ busy: row.busy === 1, walFrames: row.log, checkpointedFrames: row.checkpointed });
});
`;
