import type { Insertable, Selectable } from 'kysely';

export interface ApiKeyTable {
  id: string;
  user_id: string;
  name: string;
  /** `pk-` and the key's first 8 characters after it: enough to tell keys apart, useless to an attacker. */
  prefix: string;
  /** sha256 hex of the whole key: a leaked database does not leak working keys. */
  key_hash: string;
  created_at: string;
  /** Null: never expires. */
  expires_at: string | null;
  /** Written at most once a minute per key, not on every request. */
  last_used_at: string | null;
  revoked_at: string | null;
}

export type ApiKeyRow = Selectable<ApiKeyTable>;
export type NewApiKeyRow = Insertable<ApiKeyTable>;
