import type { RateLimitKind } from '../../shared/contract/errors.js';

/** The counters one admission reads and bumps; the service derives them from the user and clock. */
export interface AdmitKeys {
  /** This minute's request count. */
  requests: string;
  /** Today's token count. */
  tokens: string;
  /** Generations queued or running. */
  concurrent: string;
}

/** Each limit, or null for unlimited. */
export interface AdmitLimits {
  requests: number | null;
  tokens: number | null;
  concurrent: number | null;
}

export interface AdmitTimes {
  /** How long the request counter lives: the rest of its window. */
  windowMs: number;
  /** Safety lease on the concurrency counter: a process that died holding slots frees them after it. */
  leaseMs: number;
}

/** The counts after admission (requests and concurrent include this one), or the limit that refused it. */
export type AdmitResult =
  | { admitted: true; requests: number; tokens: number; concurrent: number }
  | { admitted: false; limit: RateLimitKind; requests: number; tokens: number };

/**
 * Where the counters live. `admit` checks every limit and, only when all pass, counts the
 * request and takes a concurrency slot, atomically: a refused request uses up nothing.
 */
export interface CounterStore {
  admit(keys: AdmitKeys, limits: AdmitLimits, times: AdmitTimes): Promise<AdmitResult>;
  /** Gives back a concurrency slot. */
  release(key: string): Promise<void>;
  /** Adds tokens to a day's count, kept for `ttlMs`. */
  addTokens(key: string, tokens: number, ttlMs: number): Promise<void>;
  /** Reads a count (0 when absent). */
  read(key: string): Promise<number>;
}

interface Entry {
  value: number;
  expiresAt: number;
}

/** The counters in this process: what a single portal, or one whose Redis is down, counts with. */
export function createMemoryCounters(now: () => number): CounterStore {
  const entries = new Map<string, Entry>();
  const get = (key: string): number => {
    const entry = entries.get(key);
    if (entry && entry.expiresAt <= now()) entries.delete(key);
    return entries.get(key)?.value ?? 0;
  };
  const set = (key: string, value: number, ttlMs: number) => {
    if (value <= 0) entries.delete(key);
    else entries.set(key, { value, expiresAt: now() + ttlMs });
  };
  const sweep = () => {
    const t = now();
    for (const [key, entry] of entries) if (entry.expiresAt <= t) entries.delete(key);
  };
  let admissions = 0;

  return {
    async admit(keys, limits, times) {
      // Old windows are dropped now and then, so a long-running process does not collect them.
      if (++admissions % 1000 === 0) sweep();
      const requests = get(keys.requests);
      const tokens = get(keys.tokens);
      const concurrent = get(keys.concurrent);
      if (limits.requests !== null && requests >= limits.requests)
        return { admitted: false, limit: 'requests', requests, tokens };
      if (limits.tokens !== null && tokens >= limits.tokens)
        return { admitted: false, limit: 'tokens', requests, tokens };
      if (limits.concurrent !== null && concurrent >= limits.concurrent)
        return { admitted: false, limit: 'concurrent', requests, tokens };
      const requestsEntry = entries.get(keys.requests);
      if (requestsEntry) requestsEntry.value += 1;
      else set(keys.requests, 1, times.windowMs);
      set(keys.concurrent, concurrent + 1, times.leaseMs);
      return { admitted: true, requests: requests + 1, tokens, concurrent: concurrent + 1 };
    },
    async release(key) {
      const entry = entries.get(key);
      if (entry) set(key, entry.value - 1, entry.expiresAt - now());
    },
    async addTokens(key, tokens, ttlMs) {
      if (tokens > 0) set(key, get(key) + tokens, ttlMs);
    },
    async read(key) {
      return get(key);
    },
  };
}
