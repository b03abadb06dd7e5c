export type Take = { ok: true; hit: string } | { ok: false; retryAfterMs: number };

/**
 * Sliding-window hit counters behind the login throttle. `take` must check and record in
 * one step (a Lua script or MULTI on a sorted set in Redis), so that parallel callers
 * cannot all pass the same free slot.
 */
export interface ThrottleStore {
  /** Records a hit under `key` unless `limit` hits already fall in the window; else the ms until the oldest leaves it. */
  take(key: string, limit: number, windowMs: number): Promise<Take>;
  /** Forgets one hit that turned out not to count. */
  release(key: string, hit: string): Promise<void>;
  /** Forgets every hit under `key`. */
  clear(key: string): Promise<void>;
}

interface Hit {
  id: string;
  at: number;
}

/** Keys kept before expired ones are swept, so a flood of names cannot grow memory without bound. */
const SWEEP_AT = 10_000;

/** The in-process store: one server process, and a restart forgetting the counts is acceptable. */
export function createMemoryThrottleStore(now: () => number = Date.now): ThrottleStore {
  const hits = new Map<string, { windowMs: number; list: Hit[] }>();
  let next = 0;
  const live = (key: string, windowMs: number): Hit[] =>
    (hits.get(key)?.list ?? []).filter((h) => h.at > now() - windowMs);

  function sweep(): void {
    for (const [key, entry] of hits) {
      const list = live(key, entry.windowMs);
      if (list.length === 0) hits.delete(key);
      else entry.list = list;
    }
  }

  return {
    // Synchronous inside: nothing can run between the count and the record.
    async take(key, limit, windowMs) {
      const list = live(key, windowMs);
      if (list.length >= limit) {
        const oldest = list[list.length - limit]!;
        hits.set(key, { windowMs, list });
        return { ok: false, retryAfterMs: oldest.at + windowMs - now() };
      }
      const hit = { id: String(next++), at: now() };
      hits.set(key, { windowMs, list: [...list, hit] });
      if (hits.size > SWEEP_AT) sweep();
      return { ok: true, hit: hit.id };
    },
    async release(key, hit) {
      const entry = hits.get(key);
      if (entry) entry.list = entry.list.filter((h) => h.id !== hit);
    },
    async clear(key) {
      hits.delete(key);
    },
  };
}
