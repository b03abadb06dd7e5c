import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import t from 'tap';
import { openDatabase } from '../../../server/db/database.js';
import { tempDir } from '../../helpers/app.js';

const modeOf = (file: string) => fs.statSync(file).mode & 0o777;

t.test('the SQLite file and its WAL and SHM are readable by the owner only', async (t) => {
  const dir = tempDir(t);
  const previous = process.umask(0o022);
  t.teardown(() => process.umask(previous));
  const db = openDatabase(dir, { backgroundCheckpoints: false });
  await sql`create table t (x integer)`.execute(db);
  await sql`insert into t values (1)`.execute(db);
  const file = path.join(dir, 'pocketllm.sqlite');
  for (const f of [file, `${file}-wal`, `${file}-shm`]) t.equal(modeOf(f).toString(8), '600', path.basename(f));
  await db.destroy();
});

t.test('a database file left readable by an older version is tightened at open', async (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'pocketllm.sqlite');
  const first = openDatabase(dir, { backgroundCheckpoints: false });
  await sql`create table t (x integer)`.execute(first);
  await first.destroy();
  fs.chmodSync(file, 0o644);
  const db = openDatabase(dir, { backgroundCheckpoints: false });
  await sql`select * from t`.execute(db);
  t.equal(modeOf(file).toString(8), '600');
  await db.destroy();
});
