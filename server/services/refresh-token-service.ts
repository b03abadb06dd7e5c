import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/tables/index.js';
import * as tokens from '../db/repositories/refresh-tokens.js';
import type { RefreshTokenRow } from '../db/tables/refresh-token.table.js';

/** How long a browser stays signed in without activity. */
export const REFRESH_TTL_SEC = 30 * 24 * 3600;

/**
 * How long a rotated token may still be presented. Two tabs refreshing at once send the
 * same cookie, and a refresh cut off by a page navigation rotates the token without its
 * successor ever reaching the browser: neither is theft, and treating it as such signed the
 * user out everywhere. Past this window (or once the session is revoked) reuse is theft.
 */
export const REUSE_GRACE_SEC = 30;

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** `sessionId` names the sign-in (the token family) that every rotated token carries on. */
export type RefreshResult =
  | { ok: true; userId: string; token: string; sessionId: string }
  | { ok: false; reason: 'unknown' | 'expired' | 'reused' };

export interface RefreshTokenHooks {
  /** A sign-in ended: signed out, or revoked because a used token came back. */
  sessionEnded?(sessionId: string, reason: 'signed_out' | 'revoked'): void;
}

export type RefreshTokenService = ReturnType<typeof createRefreshTokenService>;

/** Rotating refresh tokens: each use returns a new one; presenting a used one (past REUSE_GRACE_SEC) revokes the family. */
export function createRefreshTokenService(db: Kysely<Database>, hooks: RefreshTokenHooks = {}) {
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

  /** A token rotated moments ago, in a session that is still live, may be used again. */
  async function inGrace(row: RefreshTokenRow, now: string): Promise<boolean> {
    if (row.replaced_by === null || row.revoked_at === null) return false;
    if (Date.parse(now) - Date.parse(row.revoked_at) >= REUSE_GRACE_SEC * 1000) return false;
    return tokens.familyIsLive(db, row.family_id, now);
  }

  async function reused(row: RefreshTokenRow, now: string): Promise<RefreshResult> {
    if (await inGrace(row, now)) {
      const { token } = await issue(row.user_id, row.family_id);
      return { ok: true, userId: row.user_id, token, sessionId: row.family_id };
    }
    // A used token came back: it was stolen or replayed. End every session of that login.
    await tokens.revokeFamily(db, row.family_id, now);
    hooks.sessionEnded?.(row.family_id, 'revoked');
    return { ok: false, reason: 'reused' };
  }

  return {
    /** Starts a sign-in: its first refresh token and the session id its access tokens carry. */
    async issue(userId: string): Promise<{ token: string; sessionId: string }> {
      const sessionId = randomUUID();
      return { token: (await issue(userId, sessionId)).token, sessionId };
    },

    /** The user of a live (unrevoked, unexpired) token, without using it up; else null. */
    async liveOwner(token: string): Promise<string | null> {
      const row = await tokens.findRefreshTokenByHash(db, hashToken(token));
      return row && row.revoked_at === null && row.expires_at > new Date().toISOString() ? row.user_id : null;
    },

    async rotate(token: string): Promise<RefreshResult> {
      const row = await tokens.findRefreshTokenByHash(db, hashToken(token));
      const now = new Date().toISOString();
      if (!row) return { ok: false, reason: 'unknown' };
      if (row.revoked_at !== null) return reused(row, now);
      if (row.expires_at < now) return { ok: false, reason: 'expired' };
      const next = await issue(row.user_id, row.family_id);
      if ((await tokens.markRotated(db, row.id, next.id, now)) === 1)
        return { ok: true, userId: row.user_id, token: next.token, sessionId: row.family_id };
      // Changed since it was read: rotated by a racing refresh (grace) or revoked (sign-out).
      await tokens.deleteToken(db, next.id);
      const current = await tokens.findRefreshTokenByHash(db, hashToken(token));
      return current ? reused(current, now) : { ok: false, reason: 'unknown' };
    },

    /** Ends the token's sign-in (signing out); returns its session id, or null for an unknown token. */
    async revoke(token: string): Promise<string | null> {
      const row = await tokens.findRefreshTokenByHash(db, hashToken(token));
      if (!row) return null;
      await tokens.revokeFamily(db, row.family_id, new Date().toISOString());
      hooks.sessionEnded?.(row.family_id, 'signed_out');
      return row.family_id;
    },

    prune: () => tokens.deleteExpiredTokens(db, new Date().toISOString()),
  };
}
