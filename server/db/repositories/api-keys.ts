import type { Kysely } from 'kysely';
import type { Database } from '../tables/index.js';
import type { ApiKeyRow, NewApiKeyRow } from '../tables/api-key.table.js';
import type { Role } from '../tables/user.table.js';

type Db = Kysely<Database>;

/** A key with the facts about its owner that decide, on every call, whether it still works. */
export interface ApiKeyWithOwner extends ApiKeyRow {
  username: string;
  role: Role;
  disabled: number;
  api_access: number;
}

export type ApiKeyWithUsername = ApiKeyRow & { username: string };

export const insertApiKey = async (db: Db, row: NewApiKeyRow): Promise<void> => {
  await db.insertInto('api_keys').values(row).execute();
};

/** The user's keys that are not revoked, newest first. */
export const listLiveApiKeys = (db: Db, userId: string): Promise<ApiKeyRow[]> =>
  db
    .selectFrom('api_keys')
    .selectAll()
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .execute();

/** Keys neither revoked nor expired at `now`. */
export const countUsableApiKeys = async (db: Db, userId: string, now: string): Promise<number> =>
  Number(
    (
      await db
        .selectFrom('api_keys')
        .select(db.fn.countAll().as('n'))
        .where('user_id', '=', userId)
        .where('revoked_at', 'is', null)
        .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
        .executeTakeFirstOrThrow()
    ).n,
  );

/** Every user's keys, revoked ones included, newest first (the admin's view). */
export const listAllApiKeys = (db: Db): Promise<ApiKeyWithUsername[]> =>
  db
    .selectFrom('api_keys')
    .innerJoin('users', 'users.id', 'api_keys.user_id')
    .selectAll('api_keys')
    .select('users.username')
    .orderBy('api_keys.created_at', 'desc')
    .orderBy('api_keys.id')
    .execute();

export const findApiKeyById = (db: Db, id: string): Promise<ApiKeyWithUsername | undefined> =>
  db
    .selectFrom('api_keys')
    .innerJoin('users', 'users.id', 'api_keys.user_id')
    .selectAll('api_keys')
    .select('users.username')
    .where('api_keys.id', '=', id)
    .executeTakeFirst();

/** The key with this hash and its owner, read together in one indexed lookup. */
export const findApiKeyByHash = (db: Db, keyHash: string): Promise<ApiKeyWithOwner | undefined> =>
  db
    .selectFrom('api_keys')
    .innerJoin('users', 'users.id', 'api_keys.user_id')
    .selectAll('api_keys')
    .select(['users.username', 'users.role', 'users.disabled', 'users.api_access'])
    .where('api_keys.key_hash', '=', keyHash)
    .executeTakeFirst();

/** Marks a live key revoked; returns whether one was. */
export const revokeApiKey = async (db: Db, id: string, at: string): Promise<boolean> => {
  const result = await db
    .updateTable('api_keys')
    .set({ revoked_at: at })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
};

export const touchApiKey = async (db: Db, id: string, at: string): Promise<void> => {
  await db.updateTable('api_keys').set({ last_used_at: at }).where('id', '=', id).execute();
};
