import t from 'tap';
import { Migrator, sql, type Migration } from 'kysely';
import { openDatabase } from '../../../../server/db/database.js';
import * as initial from '../../../../server/db/migrations/0001-initial.js';
import * as apiKeys from '../../../../server/db/migrations/0002-api-keys.js';
import { tempDir } from '../../../helpers/app.js';

t.test('an existing install gains api_keys, and its users keep API access on', async (t) => {
  const db = openDatabase(tempDir(t));
  t.teardown(() => db.destroy());
  // A database as the previous release left it: 0001 only, with a user in it.
  const before = new Migrator({
    db,
    provider: { getMigrations: async (): Promise<Record<string, Migration>> => ({ '0001-initial': initial }) },
  });
  t.notOk((await before.migrateToLatest()).error);
  await sql`insert into users (id, username, password_hash, role, disabled, created_at) values ('u1', 'ann', 'x', 'user', 0, 'then')`.execute(
    db,
  );

  // Up to this migration only: later ones have tests of their own.
  const upTo0002 = new Migrator({
    db,
    provider: {
      getMigrations: async (): Promise<Record<string, Migration>> => ({
        '0001-initial': initial,
        '0002-api-keys': apiKeys,
      }),
    },
  });
  t.same(
    (await upTo0002.migrateToLatest()).results?.map((r) => r.migrationName),
    ['0002-api-keys'],
  );
  t.same(await db.selectFrom('users').select(['username', 'api_access']).execute(), [
    { username: 'ann', api_access: 1 },
  ]);
  await db
    .insertInto('api_keys')
    .values({
      id: 'k1',
      user_id: 'u1',
      name: 'n',
      prefix: 'pk-12345678',
      key_hash: 'h',
      created_at: 'now',
      expires_at: null,
      last_used_at: null,
      revoked_at: null,
    })
    .execute();
  await t.rejects(
    db
      .insertInto('api_keys')
      .values({
        id: 'k2',
        user_id: 'u1',
        name: 'n',
        prefix: 'pk-12345678',
        key_hash: 'h',
        created_at: 'now',
        expires_at: null,
        last_used_at: null,
        revoked_at: null,
      })
      .execute(),
    /UNIQUE/,
    'a hash is unique',
  );
  await db.deleteFrom('users').where('id', '=', 'u1').execute();
  t.same(await db.selectFrom('api_keys').selectAll().execute(), [], 'deleting a user deletes their keys');

  const migrator = new Migrator({
    db,
    provider: {
      getMigrations: async () => ({
        '0001-initial': initial,
        '0002-api-keys': apiKeys,
      }),
    },
  });
  t.notOk((await migrator.migrateDown()).error, 'and it can be undone');
  const tables = await sql<{
    name: string;
  }>`select name from sqlite_master where type = 'table' and name = 'api_keys'`.execute(db);
  t.same(tables.rows, []);
});
