import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from './tables/index.js';

/**
 * The only place that knows the SQL dialect. A PostgreSQL dialect would be added here
 * (and migrations kept dialect-neutral); repositories only see Kysely<Database>.
 */
export function openDatabase(dataDir: string): Kysely<Database> {
  fs.mkdirSync(dataDir, { recursive: true });
  const sqlite = new SQLite(path.join(dataDir, 'pocketllm.sqlite'));
  // WAL lets readers proceed while a writer commits; the busy timeout rides out short locks
  // instead of failing requests with SQLITE_BUSY.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
}
