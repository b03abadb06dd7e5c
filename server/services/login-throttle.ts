/** Failures allowed per username and address within the window before logins are refused. */
export const MAX_FAILURES = 5;
export const WINDOW_MS = 15 * 60 * 1000;

/**
 * Counts failed logins per (username, address) in memory. One process serves the portal,
 * so memory is the right place; a restart forgetting the count is acceptable.
 */
export function createLoginThrottle(now: () => number = Date.now) {
  const failures = new Map<string, number[]>();
  const keyOf = (username: string, address: string) => `${username.toLowerCase()}\u0000${address}`;
  const recent = (key: string) => (failures.get(key) ?? []).filter((t) => t > now() - WINDOW_MS);

  return {
    /** Seconds until another attempt is allowed, or 0 when it is allowed now. */
    retryAfterSec(username: string, address: string): number {
      const times = recent(keyOf(username, address));
      if (times.length < MAX_FAILURES) return 0;
      const oldest = times[times.length - MAX_FAILURES] ?? now();
      return Math.max(1, Math.ceil((oldest + WINDOW_MS - now()) / 1000));
    },
    fail(username: string, address: string): void {
      const key = keyOf(username, address);
      failures.set(key, [...recent(key), now()]);
      if (failures.size > 10_000) this.prune();
    },
    succeed(username: string, address: string): void {
      failures.delete(keyOf(username, address));
    },
    prune(): void {
      for (const key of failures.keys()) {
        const times = recent(key);
        if (times.length === 0) failures.delete(key);
        else failures.set(key, times);
      }
    },
  };
}

export type LoginThrottle = ReturnType<typeof createLoginThrottle>;
