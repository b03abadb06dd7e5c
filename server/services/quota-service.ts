import type { Limits } from '../../shared/contract/usage.js';
import type { RateLimitKind } from '../../shared/contract/errors.js';
import { DAY_MS, MINUTE_MS, untilMidnight, utcDay, type Clock } from '../quota/clock.js';
import type { FailoverCounters } from '../quota/failover-counters.js';
import { QuotaRefused, type QuotaState } from '../quota/rate-limit-error.js';
import type { Role } from '../quota/limits.js';

export interface QuotaUser {
  id: string;
  role: Role;
}

export interface QuotaDeps {
  /** The user's effective limits, read on every admission so a change applies to the next request. */
  limitsOf(user: QuotaUser): Promise<Limits>;
  counters: FailoverCounters;
  now: Clock;
}

/** An admitted request: hold it while the answer is queued or running, then release it once. */
export interface Admission {
  limits: Limits;
  state: QuotaState;
  /** The answer length to use: the request's (or none) clamped to the user's maxTokens ceiling. */
  clampMaxTokens(requested: number | undefined): number | undefined;
  release(): void;
}

/** A concurrency slot held longer than this (a process that died mid-answer) frees itself. */
export const CONCURRENCY_LEASE_MS = 15 * MINUTE_MS;
/** A refused "answers at once" has no clock to wait for; a short pause is the honest hint. */
const CONCURRENT_RETRY_MS = 1000;

type Listener = (limit: RateLimitKind) => void;

/**
 * Per-user limits for every way of asking the model: one `admit` before anything is queued or
 * stored. Requests per minute count in fixed windows aligned to the clock's minutes; tokens per
 * day in UTC days (an answer running when the budget runs out finishes; the next is refused);
 * concurrency counts the answers admitted and not yet released, queued or running.
 */
export function createQuotaService(deps: QuotaDeps) {
  const { counters, now } = deps;
  const listeners = new Set<Listener>();
  const tokensKey = (userId: string, t: number) => `tok:${userId}:${utcDay(t)}`;

  return {
    /** Admits one request or throws QuotaRefused (429 rate_limited) naming the limit hit. */
    async admit(user: QuotaUser): Promise<Admission> {
      const limits = await deps.limitsOf(user);
      const t = now();
      const windowResetMs = MINUTE_MS - (t % MINUTE_MS);
      const dayResetMs = untilMidnight(t);
      const keys = {
        requests: `req:${user.id}:${Math.floor(t / MINUTE_MS)}`,
        tokens: tokensKey(user.id, t),
        concurrent: `conc:${user.id}`,
      };
      const { result, release } = await counters.admit(
        keys,
        { requests: limits.requestsPerMinute, tokens: limits.tokensPerDay, concurrent: limits.concurrent },
        { windowMs: windowResetMs, leaseMs: CONCURRENCY_LEASE_MS },
      );
      const state: QuotaState = {
        requests: {
          limit: limits.requestsPerMinute,
          remaining: remaining(limits.requestsPerMinute, result.requests),
          resetMs: windowResetMs,
        },
        tokens: {
          limit: limits.tokensPerDay,
          remaining: remaining(limits.tokensPerDay, result.tokens),
          resetMs: dayResetMs,
        },
      };
      if (!result.admitted) {
        for (const listener of listeners) listener(result.limit);
        const retryAfterMs =
          result.limit === 'requests' ? windowResetMs : result.limit === 'tokens' ? dayResetMs : CONCURRENT_RETRY_MS;
        throw new QuotaRefused(result.limit, retryAfterMs, state);
      }
      let released = false;
      return {
        limits,
        state,
        clampMaxTokens: (requested) =>
          limits.maxTokens === null ? requested : Math.min(requested ?? limits.maxTokens, limits.maxTokens),
        release() {
          if (released) return;
          released = true;
          void release();
        },
      };
    },

    /** Counts an answer's tokens (evaluated prompt + generated) against its user's day. */
    async recordTokens(userId: string, tokens: number): Promise<void> {
      await counters.addTokens(tokensKey(userId, now()), tokens, 2 * DAY_MS);
    },

    /** Tokens counted against the user's budget today. */
    tokensToday(userId: string): Promise<number> {
      return counters.read(tokensKey(userId, now()));
    },

    /** Observe refusals (for metrics). Returns an unsubscribe. */
    onRefused(listener: Listener): () => void {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },

    get backend(): 'redis' | 'memory' {
      return counters.backend;
    },
  };
}

export type QuotaService = ReturnType<typeof createQuotaService>;

const remaining = (limit: number | null, used: number) => (limit === null ? null : Math.max(0, limit - used));
