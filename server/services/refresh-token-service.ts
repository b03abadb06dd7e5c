import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/tables/index.js';
import * as tokens from '../db/repositories/refresh-tokens.js';

/** How long a browser stays signed in without activity. */
export const REFRESH_TTL_SEC = 30 * 24 * 3600;

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export type RefreshResult =
  | { ok: true; userId: string; token: string }
  | { ok: false; reason: 'unknown' | 'expired' | 'reused' };

export type RefreshTokenService = ReturnType<typeof createRefreshTokenService>;

/** Rotating refresh tokens: each use returns a new one; presenting a used one revokes the family. */
export function createRefreshTokenService(db: Kysely<Database>) {
  async function issue(userId: string, familyId: string = randomUUID()): Promise<{ id: string; token: string }> {
    const token = randomBytes(32).toString('base64url');
    const now = Date.now();
    const id = randomUUID();
    await tokens.insertRefreshToken(db, {
      id,
      user_id: userId,
      token_hash: hashToken(token),
      family_id: familyId,
      created_at: new Date(now).toISOString(),
      expires_at: new Date(now + REFRESH_TTL_SEC * 1000).toISOString(),
      revoked_at: null,
      replaced_by: null,
    });
    return { id, token };
  }

  return {
    issue: async (userId: string) => (await issue(userId)).token,

    async rotate(token: string): Promise<RefreshResult> {
      const row = await tokens.findRefreshTokenByHash(db, hashToken(token));
      const now = new Date().toISOString();
      if (!row) return { ok: false, reason: 'unknown' };
      if (row.revoked_at !== null) {
        // A used token came back: it was stolen or replayed. End every session of that login.
        await tokens.revokeFamily(db, row.family_id, now);
        return { ok: false, reason: 'reused' };
      }
      if (row.expires_at < now) return { ok: false, reason: 'expired' };
      const next = await issue(row.user_id, row.family_id);
      // Two racing refreshes with one token: only the first may win; the loser counts as reuse.
      if ((await tokens.markRotated(db, row.id, next.id, now)) === 0) {
        await tokens.revokeFamily(db, row.family_id, now);
        return { ok: false, reason: 'reused' };
      }
      return { ok: true, userId: row.user_id, token: next.token };
    },

    async revoke(token: string): Promise<void> {
      const row = await tokens.findRefreshTokenByHash(db, hashToken(token));
      if (row) await tokens.revokeFamily(db, row.family_id, new Date().toISOString());
    },

    prune: () => tokens.deleteExpiredTokens(db, new Date().toISOString()),
  };
}
