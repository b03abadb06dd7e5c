import { Type, type Static } from 'typebox';
import { RateLimitKind } from './errors.js';

export { RateLimitKind };

/**
 * One limit: a positive whole number, or null for unlimited. One schema with two types rather
 * than a union: the server's validator coerces, and in a union 0 would be coerced to null.
 */
const LimitValue = Type.Unsafe<number | null>({ type: ['integer', 'null'], minimum: 1, maximum: 1_000_000_000 });

/**
 * A role's limits, or a user's effective limits. `requestsPerMinute`: chat requests per fixed
 * minute (aligned to the clock's minute); `tokensPerDay`: prompt tokens the model evaluated plus
 * tokens it generated, per UTC day; `concurrent`: generations queued or running at once;
 * `maxTokens`: the longest answer (a request asking for more is clamped; null = the server's MAX_TOKENS).
 */
export const Limits = Type.Object({
  requestsPerMinute: LimitValue,
  tokensPerDay: LimitValue,
  concurrent: LimitValue,
  maxTokens: LimitValue,
});
export type Limits = Static<typeof Limits>;

/** A user's override: a field left out inherits the role's value; null is unlimited. */
export const LimitsOverride = Type.Partial(Limits);
export type LimitsOverride = Static<typeof LimitsOverride>;

export const LIMIT_FIELDS = ['requestsPerMinute', 'tokensPerDay', 'concurrent', 'maxTokens'] as const;
export type LimitField = (typeof LIMIT_FIELDS)[number];

export const LimitRole = Type.Enum(['admin', 'user']);
export const RoleParams = Type.Object({ role: LimitRole });
export const UserIdParams = Type.Object({ userId: Type.String({ minLength: 1, maxLength: 64 }) });

/** GET /api/admin/limits. */
export const LimitsTable = Type.Object({
  roles: Type.Object({ admin: Limits, user: Limits }),
  users: Type.Record(Type.String(), LimitsOverride),
});
export type LimitsTable = Static<typeof LimitsTable>;

const Count = Type.Integer({ minimum: 0 });

/** A user's usage over some days. `promptTokens` are the prompt tokens the model evaluated; reused ones are apart. */
export const UsageFigures = Type.Object({
  requests: Count,
  cacheHits: Count,
  promptTokens: Count,
  cachedPromptTokens: Count,
  completionTokens: Count,
  generationMs: Count,
});
export type UsageFigures = Static<typeof UsageFigures>;

/** 'YYYY-MM-DD', a UTC day. */
export const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });

export const UsageDay = Type.Intersect([Type.Object({ day: Day }), UsageFigures]);
export type UsageDay = Static<typeof UsageDay>;

/** GET /api/usage: the caller's own usage. */
export const MyUsage = Type.Object({
  today: UsageDay,
  /** The caller's effective limits (role defaults with their override applied). */
  limits: Limits,
  /** Tokens counted against today's budget (evaluated prompt + completion). */
  tokensToday: Count,
  /** When the daily token budget starts again (next UTC midnight), ISO 8601. */
  resetsAt: Type.String(),
  /** The last 30 days, oldest first, days without use included as zeros. */
  days: Type.Array(UsageDay),
});
export type MyUsage = Static<typeof MyUsage>;

export const UsageRangeQuery = Type.Object({ from: Type.Optional(Day), to: Type.Optional(Day) });
export type UsageRangeQuery = Static<typeof UsageRangeQuery>;

export const UserUsage = Type.Object({
  userId: Type.String(),
  username: Type.String(),
  today: UsageFigures,
  last7Days: UsageFigures,
  last30Days: UsageFigures,
  /** The range asked for (from..to). */
  range: UsageFigures,
  /** Cache hits per request over the range; 0 without requests. */
  cacheHitRate: Type.Number(),
});
export type UserUsage = Static<typeof UserUsage>;

/** GET /api/admin/usage?from&to (defaults: the last 30 days). */
export const AdminUsage = Type.Object({ from: Day, to: Day, users: Type.Array(UserUsage) });
export type AdminUsage = Static<typeof AdminUsage>;
