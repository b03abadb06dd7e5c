import { assertCacheable, parseCachedAnswer, type CachedAnswer } from './cached-answer.js';
import { MemoryTier } from './memory-tier.js';
import { RedisTier } from './redis-tier.js';

export type { CachedAnswer } from './cached-answer.js';
export type CacheBackend = 'redis' | 'memory';

/** The subset of a pino logger the cache writes to. */
export interface CacheLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface ResponseCacheOptions {
  /** Redis URL. Defaults to none: the memory tier only. */
  redisUrl?: string;
  /** Lifetime of an entry in both tiers, in seconds. */
  ttlSec: number;
  /** Byte bound of the memory tier, in MiB. */
  memoryMb: number;
  /** Prefix of every Redis key. Defaults to "pocketllm:cache:". */
  prefix?: string;
  /** Where switches and Redis problems are logged. Defaults to no logging. */
  logger?: CacheLogger;
  /** Longest wait on any Redis command before falling back to memory. Defaults to 150 ms. */
  redisTimeoutMs?: number;
  /** How old the Redis entry count in stats() may get before a background recount. Defaults to 5000 ms. */
  statsMaxAgeMs?: number;
}

export interface CacheStats {
  backend: CacheBackend;
  hits: number;
  misses: number;
  /** hits / (hits + misses); 0 before the first lookup. */
  hitRate: number;
  /** Entries and bytes of the current backend (Redis figures are recounted lazily). */
  entries: number;
  bytes: number;
  ttlSec: number;
  /** Backend changes after ready() settled (the first connection at start is not one). */
  switches: number;
  /** The memory tier alone, whatever the backend. */
  memory: { entries: number; bytes: number };
}

export interface BackendChange {
  backend: CacheBackend;
  previous: CacheBackend;
  reason: string;
}

export interface ResponseCache {
  /** A stored answer or undefined. Never rejects and never waits on a dead Redis. */
  get(key: string): Promise<CachedAnswer | undefined>;
  /** Stores a complete answer; rejects with TypeError for anything but finishReason "stop". */
  set(key: string, answer: CachedAnswer): Promise<void>;
  /** Empties both tiers; returns how many entries went. */
  flush(): Promise<number>;
  /** Figures without waiting: Redis counts may be up to statsMaxAgeMs old. */
  stats(): CacheStats;
  /** stats() with the Redis entry count taken now. */
  refreshStats(): Promise<CacheStats>;
  /** Resolves once the first Redis connection attempt settled (at once without Redis). */
  ready(): Promise<CacheBackend>;
  /** Observe backend switches. Returns an unsubscribe. */
  onBackendChange(listener: (change: BackendChange) => void): () => void;
  close(): Promise<void>;
}

const silentLogger: CacheLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * Two-tier response cache. Redis is the backend while it is ready: the store of record,
 * bounded by its own LRU and kept across restarts. The in-process LRU always holds the
 * answers this process stored or last read, and is read first: a repeated question skips
 * the Redis round trip, and when Redis goes away the answers in use keep serving. While
 * Redis is down, entries go to the memory tier only.
 */
export function createResponseCache(options: ResponseCacheOptions): ResponseCache {
  const { ttlSec, redisUrl } = options;
  const logger = options.logger ?? silentLogger;
  const statsMaxAgeMs = options.statsMaxAgeMs ?? 5000;
  const memory = new MemoryTier({ maxBytes: options.memoryMb * 1024 * 1024, ttlSec });
  const listeners = new Set<(change: BackendChange) => void>();
  const counts = { hits: 0, misses: 0, switches: 0 };
  let backend: CacheBackend = 'memory';
  let closed = false;
  let isSettled = false;
  let outageLogged = false;
  let pendingFlush = false;
  /** Flushes running now, and a count that moves whenever one starts or ends. */
  let runningFlushes = 0;
  let flushEvents = 0;
  let redisCount = { entries: 0, bytes: 0, at: 0 };
  let recount: Promise<void> | undefined;
  let resolveSettled: (backend: CacheBackend) => void = () => undefined;
  const settled = new Promise<CacheBackend>((resolve) => (resolveSettled = resolve));
  const settle = (current: CacheBackend): void => {
    isSettled = true;
    resolveSettled(current);
  };

  const setBackend = (next: CacheBackend, reason: string): void => {
    if (next === backend || closed) return;
    const previous = backend;
    backend = next;
    if (!isSettled) {
      // The first connection at start is not a switch: nothing was served yet.
      logger.info({ cacheBackend: next }, 'Response cache connected to Redis');
      return;
    }
    counts.switches += 1;
    const log = next === 'memory' ? logger.warn.bind(logger) : logger.info.bind(logger);
    log({ cacheBackend: next, previous, reason, switches: counts.switches }, `Response cache switched to ${next}: ${reason}`);
    for (const listener of listeners) {
      try {
        listener({ backend: next, previous, reason });
      } catch (error) {
        logger.error({ err: error }, 'A cache backend listener threw');
      }
    }
  };

  const redis = redisUrl === undefined ? undefined : new RedisTier({
    url: redisUrl,
    prefix: options.prefix ?? 'pocketllm:cache:',
    timeoutMs: options.redisTimeoutMs ?? 150,
    logger,
    onReady: () => void onRedisReady(),
    onDown: (reason) => {
      outageLogged = true; // the switch itself is the log line of this outage
      setBackend('memory', `Redis ${reason}`);
    },
    onError: (error) => {
      if (!outageLogged) {
        outageLogged = true;
        logger.warn({ reason: error.message }, 'Redis unreachable: response cache uses the memory tier and keeps retrying');
      }
      settle('memory');
    },
  });
  if (redis === undefined) settle('memory');

  async function onRedisReady(): Promise<void> {
    if (closed || redis === undefined) return;
    outageLogged = false;
    if (pendingFlush) {
      // A flush asked for while Redis was away still applies to what Redis kept.
      pendingFlush = false;
      await redis.flush().catch(() => (pendingFlush = true));
    }
    setBackend('redis', 'Redis is back');
    redisCount.at = 0;
    await redis.checkEvictionPolicy();
    settle('redis');
  }

  /**
   * A failed Redis command. A stalled get/set forces a reconnect (and so the memory tier);
   * refusals (e.g. OOM under noeviction) and slow counts are only logged, at most once a minute.
   */
  let lastRefusalLog = -Infinity;
  const onRedisFailure = (error: Error, op: 'get' | 'set' | 'count'): void => {
    const stalled = /timed out/i.test(error.message);
    if (error.name === 'ReplyError' || (stalled && op === 'count')) {
      if (Date.now() - lastRefusalLog < 60_000) return;
      lastRefusalLog = Date.now();
      logger.warn({ op, reason: error.message }, 'Redis failed a cache command');
      return;
    }
    if (redis?.ready && stalled) {
      setBackend('memory', `Redis ${op} timed out`);
      redis.reconnect();
    }
  };

  const onRedis = (): RedisTier | undefined => (backend === 'redis' && redis?.ready ? redis : undefined);

  const count = (answer: CachedAnswer | undefined): CachedAnswer | undefined => {
    if (answer === undefined) counts.misses += 1;
    else counts.hits += 1;
    return answer;
  };

  const recountRedis = (): Promise<void> => {
    const tier = onRedis();
    if (tier === undefined) return Promise.resolve();
    recount ??= tier
      .count()
      .then((c) => void (redisCount = { ...c, at: Date.now() }))
      .catch((error: Error) => onRedisFailure(error, 'count'))
      .finally(() => (recount = undefined));
    return recount;
  };

  /** A Redis hit, copied into the memory tier for the time Redis has left for it. */
  const readRedis = async (key: string): Promise<CachedAnswer | undefined> => {
    const tier = onRedis();
    if (tier === undefined) return undefined;
    const eventsBefore = flushEvents;
    const flushRunning = runningFlushes > 0;
    try {
      const entry = await tier.get(key);
      if (entry === null) return undefined;
      const answer = parseCachedAnswer(entry.value);
      // A flush that ran at any time during the read must not find the entry back in memory.
      const flushedMeanwhile = flushRunning || flushEvents !== eventsBefore;
      if (answer !== undefined && !flushedMeanwhile) memory.set(key, entry.value, entry.ttlMs);
      return answer;
    } catch (error) {
      onRedisFailure(error as Error, 'get');
      return undefined;
    }
  };

  /** Empties both tiers; counts each answer once, though most are in both. */
  const flushTiers = async (): Promise<number> => {
    const near = memory.clear();
    let removed = near.length;
    if (redis !== undefined) {
      try {
        if (!redis.ready) throw new Error('Redis is not connected');
        const flushed = await redis.flush();
        removed = flushed.removed + near.filter((key) => !flushed.keys.has(key)).length;
      } catch (error) {
        pendingFlush = true;
        logger.warn({ reason: (error as Error).message }, 'Redis part of the cache flush deferred until Redis is back');
      }
    }
    redisCount = { entries: 0, bytes: 0, at: 0 };
    return removed;
  };

  const stats = (): CacheStats => {
    const mem = memory.stats();
    const total = counts.hits + counts.misses;
    const current = backend === 'redis' ? redisCount : mem;
    if (backend === 'redis' && Date.now() - redisCount.at > statsMaxAgeMs) void recountRedis();
    return {
      backend,
      hits: counts.hits,
      misses: counts.misses,
      hitRate: total === 0 ? 0 : counts.hits / total,
      entries: current.entries,
      bytes: current.bytes,
      ttlSec,
      switches: counts.switches,
      memory: mem,
    };
  };

  return {
    async get(key) {
      if (closed) return undefined;
      const near = memory.get(key);
      if (near !== undefined) return count(parseCachedAnswer(near));
      return count(await readRedis(key));
    },

    async set(key, answer) {
      assertCacheable(answer);
      if (closed) return;
      const raw = JSON.stringify(answer);
      memory.set(key, raw);
      const tier = onRedis();
      if (tier === undefined) return;
      try {
        await tier.set(key, raw, ttlSec);
      } catch (error) {
        onRedisFailure(error as Error, 'set');
      }
    },

    async flush() {
      runningFlushes += 1;
      flushEvents += 1;
      try {
        return await flushTiers();
      } finally {
        runningFlushes -= 1;
        flushEvents += 1;
      }
    },

    stats,

    async refreshStats() {
      await recountRedis();
      return stats();
    },

    ready: () => settled,

    onBackendChange(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },

    async close() {
      if (closed) return;
      closed = true;
      listeners.clear();
      settle(backend);
      await redis?.close();
    },
  };
}
