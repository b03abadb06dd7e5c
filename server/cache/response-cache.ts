import type {
  BackendChange,
  CacheBackend,
  CacheLogger,
  CacheStats,
  ResponseCache,
  ResponseCacheOptions,
} from './cache-types.js';
import { assertCacheable, parseCachedAnswer, type CachedAnswer } from './cached-answer.js';
import { FlushGuard } from './flush-guard.js';
import { MemoryTier } from './memory-tier.js';
import { RedisTier } from './redis-tier.js';

export type { CachedAnswer } from './cached-answer.js';
export type * from './cache-types.js';

/**
 * The Redis link as the cache sees it: no Redis configured, the first connection still being
 * tried, serving, or lost (entries go to the memory tier until it is back).
 */
export type RedisLink = 'none' | 'connecting' | 'up' | 'down';

const silentLogger: CacheLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** Redis refusals and slow counts are logged at most this often. */
const REFUSAL_LOG_INTERVAL_MS = 60_000;

/**
 * Two-tier response cache. Redis is the backend while it is ready: the store of record,
 * bounded by its own LRU and kept across restarts. The in-process LRU always holds the
 * answers this process stored or last read, and is read first: a repeated question skips
 * the Redis round trip, and when Redis goes away the answers in use keep serving. While
 * Redis is down, entries go to the memory tier only.
 */
export function createResponseCache(options: ResponseCacheOptions): ResponseCache {
  return new TieredResponseCache(options);
}

class TieredResponseCache implements ResponseCache {
  private readonly ttlSec: number;
  private readonly logger: CacheLogger;
  private readonly statsMaxAgeMs: number;
  private readonly memory: MemoryTier;
  private readonly redis: RedisTier | undefined;
  private readonly listeners = new Set<(change: BackendChange) => void>();
  private readonly counts = { hits: 0, misses: 0, switches: 0 };
  private link: RedisLink;
  private closed = false;
  /** Set once the first connection attempt settled: later backend changes are switches. */
  private isSettled = false;
  private resolveSettled: (backend: CacheBackend) => void = () => undefined;
  private readonly settled = new Promise<CacheBackend>((resolve) => (this.resolveSettled = resolve));
  /** This outage was already logged (by the switch or the first failed attempt). */
  private outageLogged = false;
  private lastRefusalLog = -Infinity;
  /** A flush that could not reach Redis: applied when it is back. */
  private pendingFlush = false;
  private readonly flushGuard = new FlushGuard();
  private redisCount = { entries: 0, bytes: 0, at: 0 };
  private recount: Promise<void> | undefined;

  constructor(options: ResponseCacheOptions) {
    this.ttlSec = options.ttlSec;
    this.logger = options.logger ?? silentLogger;
    this.statsMaxAgeMs = options.statsMaxAgeMs ?? 5000;
    this.memory = new MemoryTier({ maxBytes: options.memoryMb * 1024 * 1024, ttlSec: options.ttlSec });
    this.link = options.redisUrl === undefined ? 'none' : 'connecting';
    this.redis =
      options.redisUrl === undefined
        ? undefined
        : new RedisTier({
            url: options.redisUrl,
            prefix: options.prefix ?? 'pocketllm:cache:',
            timeoutMs: options.redisTimeoutMs ?? 150,
            logger: this.logger,
            onReady: () => void this.onRedisReady(),
            onDown: (reason) => {
              this.outageLogged = true; // the switch itself is the log line of this outage
              this.setLink('down', `Redis ${reason}`);
            },
            onError: (error) => this.onConnectError(error),
          });
    if (this.redis === undefined) this.settle('memory');
  }

  private get backend(): CacheBackend {
    return this.link === 'up' ? 'redis' : 'memory';
  }

  private settle(current: CacheBackend): void {
    this.isSettled = true;
    this.resolveSettled(current);
  }

  /** Moves the link; a change of backend after start is a switch, logged and told to listeners. */
  private setLink(next: 'up' | 'down', reason: string): void {
    if (this.closed) return;
    const previous = this.backend;
    if (next === 'down' && this.link !== 'up') {
      if (this.link === 'connecting') this.link = 'down';
      return;
    }
    if (next === this.link) return;
    this.link = next;
    const backend = this.backend;
    if (!this.isSettled) {
      // The first connection at start is not a switch: nothing was served yet.
      this.logger.info({ cacheBackend: backend }, 'Response cache connected to Redis');
      return;
    }
    this.counts.switches += 1;
    const log = backend === 'memory' ? this.logger.warn.bind(this.logger) : this.logger.info.bind(this.logger);
    log(
      { cacheBackend: backend, previous, reason, switches: this.counts.switches },
      `Response cache switched to ${backend}: ${reason}`,
    );
    for (const listener of this.listeners) {
      try {
        listener({ backend, previous, reason });
      } catch (error) {
        this.logger.error({ err: error }, 'A cache backend listener threw');
      }
    }
  }

  private onConnectError(error: Error): void {
    if (!this.outageLogged) {
      this.outageLogged = true;
      this.logger.warn(
        { reason: error.message },
        'Redis unreachable: response cache uses the memory tier and keeps retrying',
      );
    }
    if (this.link === 'connecting') this.link = 'down';
    this.settle('memory');
  }

  private async onRedisReady(): Promise<void> {
    const redis = this.redis;
    if (this.closed || redis === undefined) return;
    this.outageLogged = false;
    if (this.pendingFlush) {
      // A flush asked for while Redis was away still applies to what Redis kept.
      this.pendingFlush = false;
      await redis.flush().catch(() => (this.pendingFlush = true));
    }
    this.setLink('up', 'Redis is back');
    this.redisCount.at = 0;
    await redis.checkEvictionPolicy();
    this.settle('redis');
  }

  /**
   * A failed Redis command. A stalled get/set forces a reconnect (and so the memory tier);
   * refusals (e.g. OOM under noeviction) and slow counts are only logged, at most once a minute.
   */
  private onRedisFailure(error: Error, op: 'get' | 'set' | 'count'): void {
    const stalled = /timed out/i.test(error.message);
    if (error.name === 'ReplyError' || (stalled && op === 'count')) {
      if (Date.now() - this.lastRefusalLog < REFUSAL_LOG_INTERVAL_MS) return;
      this.lastRefusalLog = Date.now();
      this.logger.warn({ op, reason: error.message }, 'Redis failed a cache command');
      return;
    }
    if (this.redis?.ready && stalled) {
      this.setLink('down', `Redis ${op} timed out`);
      this.redis.reconnect();
    }
  }

  /** The Redis tier while it serves, else undefined. */
  private onRedis(): RedisTier | undefined {
    return this.link === 'up' && this.redis?.ready ? this.redis : undefined;
  }

  private count(answer: CachedAnswer | undefined): CachedAnswer | undefined {
    if (answer === undefined) this.counts.misses += 1;
    else this.counts.hits += 1;
    return answer;
  }

  private recountRedis(): Promise<void> {
    const tier = this.onRedis();
    if (tier === undefined) return Promise.resolve();
    this.recount ??= tier
      .count()
      .then((c) => void (this.redisCount = { ...c, at: Date.now() }))
      .catch((error: Error) => this.onRedisFailure(error, 'count'))
      .finally(() => (this.recount = undefined));
    return this.recount;
  }

  /** A Redis hit, copied into the memory tier for the time Redis has left for it. */
  private async readRedis(key: string): Promise<CachedAnswer | undefined> {
    const tier = this.onRedis();
    if (tier === undefined) return undefined;
    const flushes = this.flushGuard.mark();
    try {
      const entry = await tier.get(key);
      if (entry === null) return undefined;
      const answer = parseCachedAnswer(entry.value);
      // A flush that ran at any time during the read must not find the entry back in memory.
      if (answer !== undefined && !flushes.flushedSince()) this.memory.set(key, entry.value, entry.ttlMs);
      return answer;
    } catch (error) {
      this.onRedisFailure(error as Error, 'get');
      return undefined;
    }
  }

  /** Empties both tiers; counts each answer once, though most are in both. */
  private async flushTiers(): Promise<number> {
    const near = this.memory.clear();
    let removed = near.length;
    if (this.redis !== undefined) {
      try {
        if (!this.redis.ready) throw new Error('Redis is not connected');
        const flushed = await this.redis.flush();
        removed = flushed.removed + near.filter((key) => !flushed.keys.has(key)).length;
      } catch (error) {
        this.pendingFlush = true;
        this.logger.warn(
          { reason: (error as Error).message },
          'Redis part of the cache flush deferred until Redis is back',
        );
      }
    }
    this.redisCount = { entries: 0, bytes: 0, at: 0 };
    return removed;
  }

  async get(key: string): Promise<CachedAnswer | undefined> {
    if (this.closed) return undefined;
    const near = this.memory.get(key);
    if (near !== undefined) return this.count(parseCachedAnswer(near));
    return this.count(await this.readRedis(key));
  }

  async set(key: string, answer: CachedAnswer): Promise<void> {
    assertCacheable(answer);
    if (this.closed) return;
    const raw = JSON.stringify(answer);
    this.memory.set(key, raw);
    const tier = this.onRedis();
    if (tier === undefined) return;
    try {
      await tier.set(key, raw, this.ttlSec);
    } catch (error) {
      this.onRedisFailure(error as Error, 'set');
    }
  }

  flush(): Promise<number> {
    return this.flushGuard.run(() => this.flushTiers());
  }

  stats(): CacheStats {
    const mem = this.memory.stats();
    const total = this.counts.hits + this.counts.misses;
    const onRedis = this.backend === 'redis';
    const current = onRedis ? this.redisCount : mem;
    if (onRedis && Date.now() - this.redisCount.at > this.statsMaxAgeMs) void this.recountRedis();
    return {
      backend: this.backend,
      hits: this.counts.hits,
      misses: this.counts.misses,
      hitRate: total === 0 ? 0 : this.counts.hits / total,
      entries: current.entries,
      bytes: current.bytes,
      ttlSec: this.ttlSec,
      switches: this.counts.switches,
      memory: mem,
    };
  }

  async refreshStats(): Promise<CacheStats> {
    await this.recountRedis();
    return this.stats();
  }

  ready(): Promise<CacheBackend> {
    return this.settled;
  }

  onBackendChange(listener: (change: BackendChange) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.listeners.clear();
    this.settle(this.backend);
    await this.redis?.close();
  }
}
