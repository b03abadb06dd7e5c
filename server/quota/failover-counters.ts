import {
  createMemoryCounters,
  type AdmitKeys,
  type AdmitLimits,
  type AdmitResult,
  type AdmitTimes,
  type CounterStore,
} from './counter-store.js';
import { RedisCounters } from './redis-counters.js';

export interface CounterLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface FailoverOptions {
  /** Unset: in-process counters only. */
  redisUrl: string | undefined;
  now: () => number;
  logger: CounterLogger;
  /** Defaults to "pocketllm:quota:". */
  prefix?: string;
  /** Defaults to 500 ms. */
  timeoutMs?: number;
}

export interface FailoverCounters extends Omit<CounterStore, 'admit' | 'release'> {
  /** Admits on the store counting now; `release` gives the slot back to that same store. */
  admit(
    keys: AdmitKeys,
    limits: AdmitLimits,
    times: AdmitTimes,
  ): Promise<{ result: AdmitResult; release(): Promise<void> }>;
  /** Where counting happens now. */
  readonly backend: 'redis' | 'memory';
  /** Times it moved between Redis and memory since the start. */
  readonly switches: number;
  /** Waits for the first connection attempt to Redis (none without REDIS_URL). */
  ready(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Redis when it is there, counting in this process when it is not: a Redis outage must not
 * stop chat. Counts made in memory stay there (a short outage forgives a little), and counting
 * moves back to Redis as soon as it is ready again.
 */
export function createFailoverCounters(options: FailoverOptions): FailoverCounters {
  const memory = createMemoryCounters(options.now);
  let switches = 0;
  let lost = false;
  const redis =
    options.redisUrl === undefined
      ? undefined
      : new RedisCounters({
          url: options.redisUrl,
          prefix: options.prefix ?? 'pocketllm:quota:',
          timeoutMs: options.timeoutMs ?? 500,
          onReady: () => {
            if (!lost) return; // the first connect is no switch
            switches += 1;
            options.logger.info({}, 'Redis is back: rate limits are counted in Redis again.');
          },
          onDown: (reason) => {
            lost = true;
            switches += 1;
            options.logger.warn({ reason }, 'Redis is down: rate limits are counted in this process until it returns.');
          },
        });

  /** Runs on Redis when ready; a command that fails there is counted in memory instead. */
  async function on<T>(run: (store: CounterStore) => Promise<T>): Promise<T> {
    if (!redis?.ready) return run(memory);
    try {
      return await run(redis);
    } catch (error) {
      options.logger.warn(
        { reason: (error as Error).message },
        'A Redis rate-limit command failed; counted in process.',
      );
      return run(memory);
    }
  }

  return {
    get backend() {
      return redis?.ready ? 'redis' : 'memory';
    },
    get switches() {
      return switches;
    },
    admit: (keys, limits, times) =>
      on(async (store) => ({
        result: await store.admit(keys, limits, times),
        // A slot taken in Redis that cannot be given back (Redis gone) expires with its lease.
        release: () => store.release(keys.concurrent).catch(() => undefined),
      })),
    addTokens: (key, tokens, ttlMs) => on((store) => store.addTokens(key, tokens, ttlMs)),
    read: (key) => on((store) => store.read(key)),
    ready: async () => redis?.firstAttempt(),
    close: async () => redis?.close(),
  };
}
