import { sql, type Kysely } from 'kysely';
import type { Database } from '../tables/index.js';
import type { NewUsageDailyRow, UsageDailyRow } from '../tables/usage-daily.table.js';

type Db = Kysely<Database>;

const COUNTERS = [
  'requests',
  'cache_hits',
  'prompt_tokens',
  'cached_prompt_tokens',
  'completion_tokens',
  'generation_ms',
] as const;

/** Adds one answer's figures to its user's day row, creating the row on the day's first answer. */
export const addUsage = async (db: Db, row: Required<NewUsageDailyRow>): Promise<void> => {
  await db
    .insertInto('usage_daily')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['user_id', 'day']).doUpdateSet(
        // Qualified with the table name: both SQLite and PostgreSQL read that as the existing row.
        Object.fromEntries(COUNTERS.map((c) => [c, sql`usage_daily.${sql.ref(c)} + excluded.${sql.ref(c)}`])),
      ),
    )
    .execute();
};

/** One user's rows from `from` to `to` (inclusive days), oldest first. */
export const userUsageRows = (db: Db, userId: string, from: string, to: string): Promise<UsageDailyRow[]> =>
  db
    .selectFrom('usage_daily')
    .selectAll()
    .where('user_id', '=', userId)
    .where('day', '>=', from)
    .where('day', '<=', to)
    .orderBy('day')
    .execute();

/** Every user's rows from `from` to `to`, with the username. */
export const allUsageRows = (db: Db, from: string, to: string) =>
  db
    .selectFrom('usage_daily')
    .innerJoin('users', 'users.id', 'usage_daily.user_id')
    .selectAll('usage_daily')
    .select('users.username')
    .where('day', '>=', from)
    .where('day', '<=', to)
    .execute();

/** Drops the rows of days before `day`; returns how many went. */
export const pruneUsageBefore = async (db: Db, day: string): Promise<number> => {
  const result = await db.deleteFrom('usage_daily').where('day', '<', day).executeTakeFirst();
  return Number(result.numDeletedRows);
};
