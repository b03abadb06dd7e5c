/**
 * `npm run bench -- db`: the cost of storing chat turns as a cache hit does (a new conversation, the
 * question and its finished answer in one transaction), with the WAL checkpointed on its own thread (the
 * portal) against SQLite's automatic checkpoint inside commits (the baseline), in one run.
 * Writes come in bursts of 8 with a pause between, as requests do. Prints p50/p99/max per turn.
 * Then the 8 turns of a burst stored at once, each in its own transaction (the baseline) against
 * sharing one commit (the portal's write batch): the figure is the time until the burst's last
 * turn is stored, which is what the last of 8 clients asking at once waits for.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql, type Kysely } from 'kysely';
import { openDatabase } from '../../server/db/database.js';
import { migrateToLatest } from '../../server/db/migrate.js';
import type { Database } from '../../server/db/tables/index.js';
import { createWriteBatch, type WriteBatch } from '../../server/db/write-batch.js';
import { readTurn, storeTurn, type AnswerFields } from '../../server/services/chat-turn.js';
import { log } from './log.js';
import { percentile } from './stats.js';

const TURNS = 4000;
const BURST = 8;
const PAUSE_MS = 5;
const ANSWER: AnswerFields = {
  content: 'x'.repeat(300),
  status: 'complete',
  cached: 1,
  prompt_tokens: 25,
  completion_tokens: 64,
  ttft_ms: 0.1,
  total_ms: 0.1,
  tokens_per_second: 1000,
  error_code: null,
  finish_reason: 'stop',
};
const REQUEST = { content: 'Write a short poem about the sea.' };

/** One transaction per turn: the store before group commit. */
const oneEach = (db: Kysely<Database>): WriteBatch => ({ transaction: (writes) => db.transaction().execute(writes) });

async function withDatabase<T>(backgroundCheckpoints: boolean, use: (db: Kysely<Database>) => Promise<T>): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pocketllm-bench-db-'));
  const db = openDatabase(dir, { backgroundCheckpoints });
  try {
    await migrateToLatest(db);
    await sql`insert into users (id, username, password_hash, role, created_at) values ('u1', 'bench', 'x', 'user', '2026-01-01')`.execute(
      db,
    );
    return await use(db);
  } finally {
    await db.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const storeOne = async (writes: WriteBatch, db: Kysely<Database>) =>
  storeTurn(writes, 'u1', REQUEST, await readTurn(db, 'u1', REQUEST), ANSWER);
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Per turn, one after another; bursts of BURST. */
const storeTurns = (backgroundCheckpoints: boolean) =>
  withDatabase(backgroundCheckpoints, async (db) => {
    const times: number[] = [];
    for (let i = 0; i < TURNS; i++) {
      const started = performance.now();
      await storeOne(oneEach(db), db);
      times.push(performance.now() - started);
      // Let timers and I/O run between turns, as a server's event loop does.
      await new Promise((resolve) => setImmediate(resolve));
      if (i % BURST === BURST - 1) await pause(PAUSE_MS);
    }
    return times;
  });

/** Per burst of BURST turns submitted at once: the time until the last is stored. */
const storeBursts = (shared: boolean) =>
  withDatabase(true, async (db) => {
    const writes = shared ? createWriteBatch(db) : oneEach(db);
    const times: number[] = [];
    for (let i = 0; i < TURNS / BURST; i++) {
      const started = performance.now();
      await Promise.all(Array.from({ length: BURST }, () => storeOne(writes, db)));
      times.push(performance.now() - started);
      await pause(PAUSE_MS);
    }
    return times;
  });

const row = (name: string, times: number[]) =>
  `${name.padEnd(38)} p50 ${percentile(times, 50)!.toFixed(3)} ms  p99 ${percentile(times, 99)!.toFixed(3)} ms  max ${Math.max(...times).toFixed(2)} ms`;

export async function runDbTurns(argv: string[]): Promise<void> {
  parseArgs({ args: argv, options: {} }); // no options: an unknown one is an error
  log(`storing ${TURNS} chat turns (bursts of ${BURST}, ${PAUSE_MS} ms apart), each way twice, interleaved`);
  const runs: Record<'thread' | 'commit', number[]> = { thread: [], commit: [] };
  for (let round = 0; round < 2; round++) {
    runs.commit.push(...(await storeTurns(false)));
    runs.thread.push(...(await storeTurns(true)));
  }
  console.log(row('checkpoint inside commits (SQLite)', runs.commit));
  console.log(row('checkpoint on its own thread (portal)', runs.thread));
  console.log(
    `p99 ratio portal / SQLite: ${(percentile(runs.thread, 99)! / percentile(runs.commit, 99)!).toFixed(2)}x`,
  );

  log(`storing ${TURNS / BURST} bursts of ${BURST} turns submitted at once, each way twice, interleaved`);
  const bursts: Record<'each' | 'shared', number[]> = { each: [], shared: [] };
  for (let round = 0; round < 2; round++) {
    bursts.each.push(...(await storeBursts(false)));
    bursts.shared.push(...(await storeBursts(true)));
  }
  console.log(row(`burst of ${BURST}, a commit each`, bursts.each));
  console.log(row(`burst of ${BURST}, one shared commit (portal)`, bursts.shared));
  console.log(
    `p50 ratio portal / a commit each: ${(percentile(bursts.shared, 50)! / percentile(bursts.each, 50)!).toFixed(2)}x, p99 ${(percentile(bursts.shared, 99)! / percentile(bursts.each, 99)!).toFixed(2)}x`,
  );
}
