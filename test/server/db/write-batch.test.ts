import t from 'tap';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import type { Database } from '../../../server/db/tables/index.js';
import { createWriteBatch } from '../../../server/db/write-batch.js';
import { tempDir, type Teardown } from '../../helpers/app.js';

/** A database with one table, whose statements (BEGIN/COMMIT included) are recorded. */
async function fixture(t: Teardown) {
  const sqlite = new SQLite(path.join(tempDir(t), 'batch.sqlite'));
  sqlite.pragma('journal_mode = WAL');
  const statements: string[] = [];
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database: sqlite }),
    log: (event) => void statements.push(event.query.sql.toLowerCase()),
  });
  t.teardown(() => db.destroy());
  await sql`create table items (name text primary key)`.execute(db);
  statements.length = 0;
  const names = () => sqlite.prepare('select name from items order by name').pluck().all();
  const commits = () => statements.filter((s) => s === 'commit').length;
  return { db, names, commits };
}

const insert = (name: string) => sql`insert into items (name) values (${name})`;

t.test('writes submitted together share one commit and each settles with its own result', async (t) => {
  const { db, names, commits } = await fixture(t);
  const batch = createWriteBatch(db);
  const results = await Promise.all(
    ['a', 'b', 'c', 'd'].map((name) =>
      batch.transaction(async (trx) => {
        await insert(name).execute(trx);
        return name.toUpperCase();
      }),
    ),
  );
  t.same(results, ['A', 'B', 'C', 'D']);
  t.same(names(), ['a', 'b', 'c', 'd']);
  t.equal(commits(), 1, 'one commit for the four');

  await batch.transaction((trx) => insert('e').execute(trx));
  await batch.transaction((trx) => insert('f').execute(trx));
  t.equal(commits(), 3, 'writes one after another commit one by one');
});

t.test('a failing write is undone alone; the others of its batch are kept', async (t) => {
  const { db, names } = await fixture(t);
  const batch = createWriteBatch(db);
  const outcomes = await Promise.allSettled([
    batch.transaction((trx) => insert('first').execute(trx)),
    batch.transaction(async (trx) => {
      await insert('half-done').execute(trx);
      throw new Error('changed my mind');
    }),
    batch.transaction((trx) => insert('first').execute(trx)), // a constraint failure
    batch.transaction((trx) => insert('last').execute(trx)),
  ]);
  t.same(
    outcomes.map((o) => o.status),
    ['fulfilled', 'rejected', 'rejected', 'fulfilled'],
  );
  t.match((outcomes[1] as PromiseRejectedResult).reason, { message: 'changed my mind' });
  t.match((outcomes[2] as PromiseRejectedResult).reason, { message: /UNIQUE/ });
  t.same(names(), ['first', 'last'], 'nothing of the failed writes was kept');
});

t.test('a write submitted while a batch commits goes into the next one', async (t) => {
  const { db, names, commits } = await fixture(t);
  const batch = createWriteBatch(db);
  let late: Promise<unknown> | undefined;
  await Promise.all([
    batch.transaction(async (trx) => {
      late = batch.transaction((next) => insert('late').execute(next));
      await insert('early').execute(trx);
    }),
    batch.transaction((trx) => insert('early too').execute(trx)),
  ]);
  await late;
  t.same(names(), ['early', 'early too', 'late']);
  t.equal(commits(), 2);
});

t.test('a batch that cannot start rejects every write in it', async (t) => {
  const { db } = await fixture(t);
  const batch = createWriteBatch(db);
  await db.destroy();
  const outcomes = await Promise.allSettled([1, 2].map(() => batch.transaction((trx) => insert('never').execute(trx))));
  t.same(
    outcomes.map((o) => o.status),
    ['rejected', 'rejected'],
  );
});
