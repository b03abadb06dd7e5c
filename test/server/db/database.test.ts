import t from 'tap';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { openDatabase } from '../../../server/db/database.js';
import { migrateToLatest } from '../../../server/db/migrate.js';
import { tempDir } from '../../helpers/app.js';

t.test('migrations build every table on a fresh file', async (t) => {
  const dir = tempDir(t);
  const db = openDatabase(dir);
  t.teardown(() => db.destroy());
  t.same(await migrateToLatest(db), ['0001-initial', '0002-api-keys', '0003-usage-limits', '0004-finish-reason']);
  t.ok(fs.existsSync(path.join(dir, 'pocketllm.sqlite')));
  const tables = await sql<{ name: string }>`select name from sqlite_master where type = 'table' order by name`.execute(
    db,
  );
  const names = tables.rows.map((r) => r.name);
  for (const table of [
    'users',
    'refresh_tokens',
    'conversations',
    'messages',
    'audit_log',
    'api_keys',
    'limits',
    'usage_daily',
  ])
    t.ok(names.includes(table), table);
  const mode = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(db);
  t.equal(mode.rows[0]?.journal_mode, 'wal');
  const fk = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(db);
  t.equal(fk.rows[0]?.foreign_keys, 1);
});

t.test('a reopened file keeps its data and applies nothing twice', async (t) => {
  const dir = tempDir(t);
  const first = openDatabase(dir);
  await migrateToLatest(first);
  await first
    .insertInto('users')
    .values({
      id: 'u1',
      username: 'ann',
      password_hash: 'x',
      role: 'user',
      disabled: 0,
      created_at: 'now',
      last_login_at: null,
    })
    .execute();
  await first.destroy();

  const second = openDatabase(dir);
  t.teardown(() => second.destroy());
  t.same(await migrateToLatest(second), []);
  const rows = await second.selectFrom('users').select('username').execute();
  t.same(rows, [{ username: 'ann' }]);
});

t.test('foreign keys cascade: deleting a user removes their conversations and messages', async (t) => {
  const db = openDatabase(tempDir(t));
  t.teardown(() => db.destroy());
  await migrateToLatest(db);
  await db
    .insertInto('users')
    .values({
      id: 'u1',
      username: 'ann',
      password_hash: 'x',
      role: 'user',
      disabled: 0,
      created_at: 'now',
      last_login_at: null,
    })
    .execute();
  await db
    .insertInto('conversations')
    .values({ id: 'c1', user_id: 'u1', title: 't', system_prompt: '', created_at: 'now', updated_at: 'now' })
    .execute();
  await db
    .insertInto('messages')
    .values({
      id: 'm1',
      conversation_id: 'c1',
      role: 'user',
      content: 'hi',
      status: 'complete',
      cached: 0,
      prompt_tokens: null,
      completion_tokens: null,
      ttft_ms: null,
      total_ms: null,
      tokens_per_second: null,
      error_code: null,
      created_at: 'now',
    })
    .execute();
  await db.deleteFrom('users').where('id', '=', 'u1').execute();
  t.equal((await db.selectFrom('messages').selectAll().execute()).length, 0);
  t.equal((await db.selectFrom('conversations').selectAll().execute()).length, 0);
});
