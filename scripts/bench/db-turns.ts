/**
 * `npm run bench:db`: the cost of storing chat turns as a cache hit does (a new conversation, the
 * question and its finished answer in one transaction), with the WAL checkpointed on its own thread (the
 * portal) against SQLite's automatic checkpoint inside commits (the baseline), in one run.
 * Writes come in bursts of 8 with a pause between, as requests do. Prints p50/p99/max per turn.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { openDatabase } from '../../server/db/database.js';
import { migrateToLatest } from '../../server/db/migrate.js';
import { readTurn, storeTurn, type AnswerFields } from '../../server/services/chat-turn.js';
import { log } from './log.js';
import { percentile } from './stats.js';

const TURNS = 4000;
const BURST = 8;
const PAUSE_MS = 5;
const ANSWER: AnswerFields = { content: 'x'.repeat(300), status: 'complete', cached: 1, prompt_tokens: 25, completion_tokens: 64, ttft_ms: 0.1, total_ms: 0.1, tokens_per_second: 1000, error_code: null };
const REQUEST = { content: 'Write a short poem about the sea.' };

async function storeTurns(backgroundCheckpoints: boolean): Promise<number[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pocketllm-bench-db-'));
  const db = openDatabase(dir, { backgroundCheckpoints });
  try {
    await migrateToLatest(db);
    await sql`insert into users (id, username, password_hash, role, created_at) values ('u1', 'bench', 'x', 'user', '2026-01-01')`.execute(db);
    const times: number[] = [];
    for (let i = 0; i < TURNS; i++) {
      const started = performance.now();
      await storeTurn(db, 'u1', REQUEST, await readTurn(db, 'u1', REQUEST), ANSWER);
      times.push(performance.now() - started);
      // Let timers and I/O run between turns, as a server's event loop does.
      await new Promise((resolve) => setImmediate(resolve));
      if (i % BURST === BURST - 1) await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
    }
    return times;
  } finally {
    await db.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const row = (name: string, times: number[]) =>
  `${name.padEnd(38)} p50 ${percentile(times, 50)!.toFixed(3)} ms  p99 ${percentile(times, 99)!.toFixed(3)} ms  max ${Math.max(...times).toFixed(2)} ms`;

log(`storing ${TURNS} chat turns (bursts of ${BURST}, ${PAUSE_MS} ms apart), each way twice, interleaved`);
const runs: Record<'thread' | 'commit', number[]> = { thread: [], commit: [] };
for (let round = 0; round < 2; round++) {
  runs.commit.push(...(await storeTurns(false)));
  runs.thread.push(...(await storeTurns(true)));
}
console.log(row('checkpoint inside commits (SQLite)', runs.commit));
console.log(row('checkpoint on its own thread (portal)', runs.thread));
console.log(`p99 ratio portal / SQLite: ${(percentile(runs.thread, 99)! / percentile(runs.commit, 99)!).toFixed(2)}x`);
