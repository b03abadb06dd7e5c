import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import t, { type Test } from 'tap';
import { sql } from 'kysely';
import { openDatabase } from '../../../server/db/database.js';
import {
  startWalCheckpointer,
  type CheckpointResult,
  type WalCheckpointerOptions,
} from '../../../server/db/wal-checkpointer.js';
import { tempDir } from '../../helpers/app.js';

function walDatabase(dir: string) {
  const file = path.join(dir, 'wal.sqlite');
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.exec('create table rows (id integer primary key, body text)');
  const insert = sqlite.prepare('insert into rows (body) values (?)');
  // About one 4 KiB page per row, one commit each, as chat turns are written.
  const write = (rows: number) => {
    for (let i = 0; i < rows; i++) insert.run('x'.repeat(3000));
  };
  return { file, sqlite, write };
}

const walBytes = (file: string) => fs.statSync(`${file}-wal`).size;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A WAL database with a checkpoint thread on short intervals, stopped at teardown; its results collected. */
function checkpointed(t: Test, options: Pick<WalCheckpointerOptions, 'startBytes' | 'backstopFrames'>) {
  const db = walDatabase(tempDir(t));
  const results: CheckpointResult[] = [];
  const checkpointer = startWalCheckpointer(db.sqlite, db.file, {
    busyIntervalMs: 5,
    idleIntervalMs: 20,
    onCheckpoint: (r) => results.push(r),
    ...options,
  });
  t.teardown(() => {
    checkpointer.stop();
    db.sqlite.close();
  });
  return { ...db, results };
}

/** The result of the next checkpoint the thread runs from now on. */
async function nextCheckpoint(results: CheckpointResult[]): Promise<CheckpointResult> {
  const seen = results.length;
  const deadline = Date.now() + 20_000;
  while (results.length === seen) {
    if (Date.now() > deadline) throw new Error('no checkpoint within 20 s');
    await pause(5);
  }
  return results.at(-1)!;
}

/**
 * Waits for a checkpoint that copied every frame written so far. One that began during the
 * last writes may report part of them; the next one, with no writer, copies the rest.
 */
async function completeCheckpoint(results: CheckpointResult[]): Promise<CheckpointResult> {
  for (;;) {
    const result = await nextCheckpoint(results);
    if (result.checkpointedFrames === result.walFrames) return result;
  }
}

async function firstCheckpoint(results: CheckpointResult[]): Promise<CheckpointResult> {
  const deadline = Date.now() + 20_000;
  while (results.length === 0) {
    if (Date.now() > deadline) throw new Error('no checkpoint within 20 s');
    await pause(10);
  }
  return results[0]!;
}

t.test("the app's connection never checkpoints inside a commit", async (t) => {
  const db = openDatabase(tempDir(t));
  t.teardown(() => db.destroy());
  const { rows } = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(db);
  t.equal(rows[0]?.wal_autocheckpoint, 0);
});

t.test('a grown WAL starts the thread; its checkpoints let the log start over', async (t) => {
  const { file, sqlite, write, results } = checkpointed(t, { startBytes: 64 * 1024 });
  t.equal(sqlite.pragma('wal_autocheckpoint', { simple: true }), 0, 'commits do not checkpoint');
  write(50);
  const first = await firstCheckpoint(results);
  t.ok(first.walFrames >= 50, `the first checkpoint saw the WAL (${first.walFrames} frames)`);
  t.equal(first.checkpointedFrames, first.walFrames, 'and copied all of it');

  // Writes in bursts with pauses between, as requests come: the log starts over after each
  // complete checkpoint. Without checkpoints it would hold every frame. Each pause lasts until
  // the thread has caught up (however slowly a busy machine runs it), so the outcome does not
  // depend on how the thread's timing fell.
  for (let burst = 0; burst < 40; burst++) {
    write(50);
    await completeCheckpoint(results);
  }
  const rows = 40 * 50 + 50;
  const { walFrames } = await nextCheckpoint(results);
  t.ok(walFrames < rows / 4, `the log holds ${walFrames} frames after ${rows} rows of ~3 KB (a frame each)`);
  t.ok(walBytes(file) < (rows / 2) * 4096, `the WAL file (${walBytes(file) >> 10} KiB) never held every frame`);
  t.equal(sqlite.prepare('select count(*) as n from rows').pluck().get(), rows, 'every row is there');
});

t.test('the log starts over without the commit cutting the WAL file back', async (t) => {
  const { file, write, results } = checkpointed(t, { startBytes: 64 * 1024 });
  write(300);
  const grown = walBytes(file);
  const first = await firstCheckpoint(results);
  t.equal(first.checkpointedFrames, first.walFrames, 'every frame copied');
  // The first commit after a complete checkpoint writes from the start of the file again (one
  // that meets a checkpoint still reading leaves that to a later commit). Freeing the rest of the
  // file inside that commit stalled it for milliseconds: it is kept instead.
  let walFrames = Number.POSITIVE_INFINITY;
  for (let commit = 0; commit < 20 && walFrames >= 10; commit++) {
    write(1);
    ({ walFrames } = await nextCheckpoint(results));
  }
  t.ok(walFrames < 10, `the log started over (${walFrames} frames)`);
  t.ok(walBytes(file) >= grown, `the file kept its ${grown >> 10} KiB (${walBytes(file) >> 10} KiB)`);
});

t.test('a WAL that passive checkpoints cannot restart brings the commit checkpoint back', async (t) => {
  const { sqlite, write, results } = checkpointed(t, { startBytes: 4096, backstopFrames: 20 });
  write(40);
  await firstCheckpoint(results);
  t.equal(sqlite.pragma('wal_autocheckpoint', { simple: true }), 1000, 'past the backstop, commits checkpoint again');
});
