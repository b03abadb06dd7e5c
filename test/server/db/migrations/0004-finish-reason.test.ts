import t from 'tap';
import { Migrator, sql, type Migration } from 'kysely';
import { openDatabase } from '../../../../server/db/database.js';
import { migrateToLatest } from '../../../../server/db/migrate.js';
import * as initial from '../../../../server/db/migrations/0001-initial.js';
import * as apiKeys from '../../../../server/db/migrations/0002-api-keys.js';
import * as finishReason from '../../../../server/db/migrations/0004-finish-reason.js';
import { tempDir } from '../../../helpers/app.js';

t.test('messages gain finish_reason; answers stored before it have none', async (t) => {
  const db = openDatabase(tempDir(t));
  t.teardown(() => db.destroy());
  const before = new Migrator({
    db,
    provider: {
      getMigrations: async (): Promise<Record<string, Migration>> => ({
        '0001-initial': initial,
        '0002-api-keys': apiKeys,
      }),
    },
  });
  t.notOk((await before.migrateToLatest()).error);
  await sql`insert into users (id, username, password_hash, role, disabled, created_at) values ('u1', 'ann', 'x', 'user', 0, 'then')`.execute(
    db,
  );
  await sql`insert into conversations (id, user_id, title, created_at, updated_at) values ('c1', 'u1', 't', 'then', 'then')`.execute(
    db,
  );
  await sql`insert into messages (id, conversation_id, role, content, status, created_at) values ('m1', 'c1', 'assistant', 'old', 'complete', 'then')`.execute(
    db,
  );

  t.ok((await migrateToLatest(db)).includes('0004-finish-reason'));
  t.same(await db.selectFrom('messages').select(['id', 'finish_reason']).execute(), [
    { id: 'm1', finish_reason: null },
  ]);
  await db.updateTable('messages').set({ finish_reason: 'length' }).execute();
  t.same(await db.selectFrom('messages').select('finish_reason').execute(), [{ finish_reason: 'length' }]);

  await finishReason.down(db);
  const columns = await sql<{ name: string }>`select name from pragma_table_info('messages')`.execute(db);
  t.notOk(
    columns.rows.some((c) => c.name === 'finish_reason'),
    'and it can be undone',
  );
});
