import type { Insertable, Selectable } from 'kysely';

export interface RefreshTokenTable {
  id: string;
  user_id: string;
  /** sha256 of the token: a leaked database does not leak live sessions. */
  token_hash: string;
  /** Every token rotated from one login shares a family; reuse of an old one revokes it all. */
  family_id: string;
  expires_at: string;
  created_at: string;
  revoked_at: string | null;
  replaced_by: string | null;
}

export type RefreshTokenRow = Selectable<RefreshTokenTable>;
export type NewRefreshTokenRow = Insertable<RefreshTokenTable>;
