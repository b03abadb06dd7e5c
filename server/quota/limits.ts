import type { LimitRow } from '../db/tables/limit.table.js';
import { LIMIT_FIELDS, type LimitField, type Limits, type LimitsOverride } from '../../shared/contract/usage.js';

export type Role = 'admin' | 'user';

/**
 * A role's limits until an admin sets them. Admins are unlimited. Users get what lets a few
 * people share one CPU box: a person typing never meets them, a script looping on the API does.
 */
export const DEFAULT_ROLE_LIMITS: Record<Role, Limits> = {
  admin: { requestsPerMinute: null, tokensPerDay: null, concurrent: null, maxTokens: null },
  user: { requestsPerMinute: 30, tokensPerDay: 200_000, concurrent: 4, maxTokens: null },
};

const COLUMN: Record<LimitField, 'requests_per_minute' | 'tokens_per_day' | 'concurrent' | 'max_tokens'> = {
  requestsPerMinute: 'requests_per_minute',
  tokensPerDay: 'tokens_per_day',
  concurrent: 'concurrent',
  maxTokens: 'max_tokens',
};

/** A role's row as the contract's Limits. */
export function roleLimits(row: LimitRow): Limits {
  return Object.fromEntries(LIMIT_FIELDS.map((f) => [f, row[COLUMN[f]]])) as Limits;
}

/** A user's override row: only the fields it sets (the others inherit). */
export function overrideLimits(row: LimitRow): LimitsOverride {
  const inherited = new Set(row.inherits.split(' '));
  return Object.fromEntries(LIMIT_FIELDS.filter((f) => !inherited.has(f)).map((f) => [f, row[COLUMN[f]]]));
}

/** The columns of a row storing `limits`; fields left out are listed in `inherits`. */
export function limitColumns(limits: LimitsOverride) {
  return {
    requests_per_minute: limits.requestsPerMinute ?? null,
    tokens_per_day: limits.tokensPerDay ?? null,
    concurrent: limits.concurrent ?? null,
    max_tokens: limits.maxTokens ?? null,
    inherits: LIMIT_FIELDS.filter((f) => !(f in limits)).join(' '),
  };
}

/** The role's limits with the user's override laid over them, field by field. */
export const effectiveLimits = (role: Limits, override: LimitsOverride | undefined): Limits => ({
  ...role,
  ...override,
});
