import type { Insertable, Selectable } from 'kysely';

export interface LimitTable {
  /** 'role': a role's defaults (subject = the role); 'user': one user's override (subject = user id). */
  scope: 'role' | 'user';
  subject: string;
  /** Null: unlimited (or, when named in `inherits`, not set here). */
  requests_per_minute: number | null;
  tokens_per_day: number | null;
  concurrent: number | null;
  max_tokens: number | null;
  /** Space-separated contract field names a user override leaves to its role; '' for roles. */
  inherits: string;
  updated_at: string;
}

export type LimitRow = Selectable<LimitTable>;
export type NewLimitRow = Insertable<LimitTable>;
