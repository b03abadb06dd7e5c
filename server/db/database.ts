import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, type SqliteDatabase } from 'kysely';
import { ensureDataDir } from '../data-dir.js';
import type { Database } from './tables/index.js';
import { startWalCheckpointer } from './wal-checkpointer.js';

/**
 * The only place that knows the SQL dialect. A PostgreSQL dialect would be added here
 * (and migrations kept dialect-neutral); repositories only see Kysely<Database>.
 */
export function openDatabase(dataDir: string, options: { backgroundCheckpoints?: boolean } = {}): Kysely<Database> {
  ensureDataDir(dataDir);
  const file = path.join(dataDir, 'pocketllm.sqlite');
  ownerOnly(file);
  const sqlite = new SQLite(file);
  // WAL lets readers proceed while a writer commits; the busy timeout rides out short locks
  // instead of failing requests with SQLITE_BUSY.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // SQLite's own checkpoint (inside commits) stays only when asked for: the benchmark's baseline.
  const checkpointer = options.backgroundCheckpoints === false ? null : startWalCheckpointer(sqlite, file);
  const close = () => {
    checkpointer?.stop();
    sqlite.close();
  };
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite, close) }) });
}

/**
 * Conversations and password hashes are for the owner's eyes only: the file is created 0600
 * before SQLite opens it, and SQLite gives its -wal and -shm files the database file's mode.
 */
function ownerOnly(file: string): void {
  fs.closeSync(fs.openSync(file, 'a', 0o600));
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    try {
      fs.chmodSync(f, 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
}

/** Distinct SQL texts kept prepared; queries are built from a small fixed set of shapes. */
const STATEMENT_CACHE_SIZE = 256;

/**
 * Kysely prepares every query anew; preparing costs as much as running a small statement.
 * Statements are reused by SQL text (safe: better-sqlite3 runs each to completion before the
 * next, and kysely's SQLite driver never streams).
 */
function withStatementCache(sqlite: SQLite.Database, close: () => void): SqliteDatabase {
  const statements = new Map<string, SQLite.Statement>();
  return {
    close,
    prepare(sql: string) {
      let statement = statements.get(sql);
      if (statement === undefined) {
        statement = sqlite.prepare(sql);
        if (statements.size >= STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value!);
        statements.set(sql, statement);
      }
      return statement;
    },
  };
}
