import { createMemoryThrottleStore, type ThrottleStore } from './throttle-store.js';

/**
 * Who may try a password, and how often. Attempts are counted when they start, not when
 * they fail, so parallel guesses cannot all reach the (slow) password check.
 *
 * - per username and address: `perAddress` attempts in `windowMs`;
 * - per username across all addresses: `perUsername` attempts in `windowMs`, so more
 *   addresses buy an attacker no more guesses;
 * - a successful sign-in clears its address's count and does not count against the username;
 * - a client that proves a known-good device for that user (a live refresh token or access
 *   token of the same user) is not held by the per-username bound, so a flood from elsewhere
 *   cannot lock the owner out of their own browser; it still has its per-address bound.
 */
export interface LoginPolicy {
  /** Attempts per username and address in the window. Defaults to 5. */
  perAddress: number;
  /** Attempts per username over all addresses in the window. Defaults to 20. */
  perUsername: number;
  /** Sliding window. Defaults to 15 minutes. */
  windowMs: number;
}

export const LOGIN_POLICY: LoginPolicy = { perAddress: 5, perUsername: 20, windowMs: 15 * 60 * 1000 };

/** A reserved attempt: report how it ended once the password was checked. */
export interface LoginAttempt {
  succeeded(): Promise<void>;
  /** The attempt keeps counting for the rest of the window. */
  failed(): Promise<void>;
}

export type Reservation = { ok: true; attempt: LoginAttempt } | { ok: false; retryAfterSec: number };

export function createLoginThrottle(
  store: ThrottleStore = createMemoryThrottleStore(),
  policy: LoginPolicy = LOGIN_POLICY,
) {
  const addressKey = (username: string, address: string) => `login:${username.toLowerCase()}\u0000${address}`;
  const userKey = (username: string) => `login:${username.toLowerCase()}`;
  const refused = (retryAfterMs: number): Reservation => ({
    ok: false,
    retryAfterSec: Math.max(1, Math.ceil(retryAfterMs / 1000)),
  });

  return {
    /** Takes one attempt from the budgets before the password is checked, or says how long to wait. */
    async reserve(username: string, address: string, options: { knownDevice?: boolean } = {}): Promise<Reservation> {
      const perAddress = addressKey(username, address);
      const own = await store.take(perAddress, policy.perAddress, policy.windowMs);
      if (!own.ok) return refused(own.retryAfterMs);
      let shared: string | null = null;
      if (!options.knownDevice) {
        const taken = await store.take(userKey(username), policy.perUsername, policy.windowMs);
        // Not checked, so not charged to this address either.
        if (!taken.ok) return store.release(perAddress, own.hit).then(() => refused(taken.retryAfterMs));
        shared = taken.hit;
      }
      return {
        ok: true,
        attempt: {
          async succeeded() {
            await store.clear(perAddress);
            if (shared !== null) await store.release(userKey(username), shared);
          },
          failed: async () => {},
        },
      };
    },
  };
}

export type LoginThrottle = ReturnType<typeof createLoginThrottle>;
