import type { Kysely } from 'kysely';
import type { Database } from '../tables/index.js';
import type { LimitRow, NewLimitRow } from '../tables/limit.table.js';

type Db = Kysely<Database>;

export const findLimitRows = (db: Db, keys: Array<{ scope: 'role' | 'user'; subject: string }>): Promise<LimitRow[]> =>
  db
    .selectFrom('limits')
    .selectAll()
    .where((eb) => eb.or(keys.map((k) => eb.and([eb('scope', '=', k.scope), eb('subject', '=', k.subject)]))))
    .execute();

/** Every role default, and the overrides of users that still exist. */
export const listLimitRows = (db: Db): Promise<LimitRow[]> =>
  db
    .selectFrom('limits')
    .selectAll()
    .where((eb) => eb.or([eb('scope', '=', 'role'), eb('subject', 'in', eb.selectFrom('users').select('id'))]))
    .execute();

export const upsertLimitRow = async (db: Db, row: NewLimitRow): Promise<void> => {
  const { scope: _scope, subject: _subject, ...fields } = row;
  await db
    .insertInto('limits')
    .values(row)
    .onConflict((oc) => oc.columns(['scope', 'subject']).doUpdateSet(fields))
    .execute();
};

/** True when there was a row to delete. */
export const deleteLimitRow = async (db: Db, scope: 'role' | 'user', subject: string): Promise<boolean> => {
  const result = await db
    .deleteFrom('limits')
    .where('scope', '=', scope)
    .where('subject', '=', subject)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
};
