/**
 * Worker thread: checkpoints the SQLite WAL through a connection of its own, so the copying
 * and fsync happen beside the event loop instead of inside one unlucky request's commit.
 * Messages in: 'checkpoint' | 'stop'. Out: the result of each checkpoint.
 */
import { parentPort, workerData } from 'node:worker_threads';
import SQLite from 'better-sqlite3';
import type { CheckpointResult } from './wal-checkpointer.js';

const port = parentPort!;
const sqlite = new SQLite((workerData as { file: string }).file, { fileMustExist: true });

port.on('message', (message: 'checkpoint' | 'stop') => {
  if (message === 'stop') {
    sqlite.close();
    port.close();
    return;
  }
  // PASSIVE: copies what it can without waiting for, or blocking, the writer and readers.
  const [row] = sqlite.pragma('wal_checkpoint(PASSIVE)') as Array<{ busy: number; log: number; checkpointed: number }>;
  port.postMessage({ busy: row!.busy === 1, walFrames: row!.log, checkpointedFrames: row!.checkpointed } satisfies CheckpointResult);
});

