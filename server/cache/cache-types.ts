import type { CachedAnswer } from './cached-answer.js';

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
