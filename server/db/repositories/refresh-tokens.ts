import type { Kysely } from 'kysely';
import type { Database } from '../tables/index.js';
import type { NewRefreshTokenRow, RefreshTokenRow } from '../tables/refresh-token.table.js';

type Db = Kysely<Database>;

export const insertRefreshToken = async (db: Db, row: NewRefreshTokenRow): Promise<void> => {
  await db.insertInto('refresh_tokens').values(row).execute();
};

export const findRefreshTokenByHash = (db: Db, hash: string): Promise<RefreshTokenRow | undefined> =>
  db.selectFrom('refresh_tokens').selectAll().where('token_hash', '=', hash).executeTakeFirst();

/** Marks a token used: revoked, and pointing at the token that replaced it. */
export const markRotated = async (db: Db, id: string, replacedBy: string, at: string): Promise<number> => {
  const result = await db
    .updateTable('refresh_tokens')
    .set({ revoked_at: at, replaced_by: replacedBy })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
};

/** A family with an unrevoked, unexpired token: its session has not been signed out or revoked. */
export const familyIsLive = async (db: Db, familyId: string, now: string): Promise<boolean> =>
  (await db
    .selectFrom('refresh_tokens')
    .select('id')
    .where('family_id', '=', familyId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst()) !== undefined;

export const deleteToken = async (db: Db, id: string): Promise<void> => {
  await db.deleteFrom('refresh_tokens').where('id', '=', id).execute();
};

/** Revokes the live tokens whose `column` is `value`. */
const revokeLive = async (db: Db, column: 'family_id' | 'user_id', value: string, at: string): Promise<void> => {
  await db
    .updateTable('refresh_tokens')
    .set({ revoked_at: at })
    .where(column, '=', value)
    .where('revoked_at', 'is', null)
    .execute();
};

export const revokeFamily = (db: Db, familyId: string, at: string): Promise<void> =>
  revokeLive(db, 'family_id', familyId, at);

export const revokeAllForUser = (db: Db, userId: string, at: string): Promise<void> =>
  revokeLive(db, 'user_id', userId, at);

/** Drops tokens long past use, so the table does not grow forever. */
export const deleteExpiredTokens = async (db: Db, now: string): Promise<void> => {
  await db.deleteFrom('refresh_tokens').where('expires_at', '<', now).execute();
};
