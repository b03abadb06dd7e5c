import type { Redis } from 'ioredis';
import { closeRedis, connectRedis } from '../redis/connect.js';
import type { CacheLogger } from './response-cache.js';

export interface RedisTierOptions {
  url: string;
  /** Key prefix; every key this tier touches starts with it. */
  prefix: string;
  /** Longest wait for any one command, and for the TCP connect. */
  timeoutMs: number;
  logger: CacheLogger;
  /** Called on every 'ready' (first connect and each reconnect). */
  onReady: () => void;
  /** Called when a ready connection is lost. */
  onDown: (reason: string) => void;
  /** Called on a connection error while not ready (each failed attempt). */
  onError: (error: Error) => void;
}

const EVICTING_POLICIES = new Set(['allkeys-lru', 'volatile-lru', 'allkeys-lfu', 'volatile-lfu']);
const SCAN_COUNT = 1000;

/**
 * The Redis tier. Commands fail fast instead of queueing while disconnected, and the
 * client keeps reconnecting in the background; the response cache decides what to do
 * with a failure (fall back to memory).
 */
export class RedisTier {
  readonly #client: Redis;
  readonly #options: RedisTierOptions;
  #ready = false;
  /** The last eviction setup warned about, so a reconnect does not repeat the same warning. */
  #warnedAbout = '';

  constructor(options: RedisTierOptions) {
    this.#options = options;
    this.#client = connectRedis(options.url, { timeoutMs: options.timeoutMs, name: 'pocketllm-cache' });
    this.#client.on('ready', () => {
      this.#ready = true;
      options.onReady();
    });
    this.#client.on('close', () => this.#lost('connection closed'));
    // Errors repeat on every reconnect attempt: the cache logs only the first of an outage.
    this.#client.on('error', (error: Error) => {
      if (!this.#ready) options.onError(error);
    });
  }

  get ready(): boolean {
    return this.#ready;
  }

  /**
   * An entry and the milliseconds Redis has left for it (undefined when it has no expiry),
   * in one round trip.
   */
  async get(key: string): Promise<{ value: string; ttlMs: number | undefined } | null> {
    const name = this.#options.prefix + key;
    const replies = (await this.#client.pipeline().get(name).pttl(name).exec()) ?? [];
    const [[getError, value] = [], [ttlError, ttlMs] = []] = replies;
    if (getError) throw getError;
    if (ttlError) throw ttlError;
    if (typeof value !== 'string') return null;
    if (typeof ttlMs !== 'number' || ttlMs === -1) return { value, ttlMs: undefined }; // no expiry
    // -2: expired between the two commands; the GET still won, but the copy must not outlive it.
    return { value, ttlMs: Math.max(1, ttlMs) };
  }

  async set(key: string, value: string, ttlSec: number): Promise<void> {
    await this.#client.set(this.#options.prefix + key, value, 'EX', ttlSec);
  }

  /** Deletes every key under the prefix; returns how many went and their keys (without the prefix). */
  async flush(): Promise<{ removed: number; keys: Set<string> }> {
    let removed = 0;
    const names = new Set<string>();
    await this.#scan(async (keys) => {
      for (const name of keys) names.add(name.slice(this.#options.prefix.length));
      removed += await this.#client.unlink(...keys);
    });
    return { removed, keys: names };
  }

  /** Counts the prefix's keys and their key + value bytes. Walks the keyspace: call rarely. */
  async count(): Promise<{ entries: number; bytes: number }> {
    let entries = 0;
    let bytes = 0;
    await this.#scan(async (keys) => {
      const pipeline = this.#client.pipeline();
      for (const key of keys) pipeline.strlen(key);
      const lengths = (await pipeline.exec()) ?? [];
      keys.forEach((key, i) => {
        const length = lengths[i]?.[1];
        if (typeof length !== 'number' || length === 0) return; // expired meanwhile
        entries += 1;
        bytes += length + Buffer.byteLength(key, 'utf8');
      });
    });
    return { entries, bytes };
  }

  /** Warns when this Redis would not evict old entries by itself (no LRU/LFU policy, no bound). */
  async checkEvictionPolicy(): Promise<void> {
    const { logger } = this.#options;
    try {
      const policy = (await this.#client.config('GET', 'maxmemory-policy')) as string[];
      const maxmemory = (await this.#client.config('GET', 'maxmemory')) as string[];
      const name = policy[1] ?? 'unknown';
      const setup = `${name}/${maxmemory[1] ?? ''}`;
      if (setup === this.#warnedAbout) return;
      this.#warnedAbout = setup;
      if (!EVICTING_POLICIES.has(name)) {
        logger.warn(
          { maxmemoryPolicy: name },
          `Redis maxmemory-policy is "${name}", not an LRU/LFU policy: the response cache relies on ` +
            'Redis evicting old entries. Configure "maxmemory 256mb" and "maxmemory-policy allkeys-lru".',
        );
      } else if (maxmemory[1] === '0') {
        logger.warn(
          { maxmemoryPolicy: name },
          'Redis has no maxmemory bound, so its LRU policy never evicts. Configure "maxmemory 256mb".',
        );
      }
    } catch (error) {
      // Managed Redis often disables CONFIG; the policy is then the operator's business.
      logger.info(
        { reason: (error as Error).message },
        'Could not read the Redis eviction policy (CONFIG GET refused).',
      );
    }
  }

  /** Drops the connection and reconnects; used when Redis stalls without closing the socket. */
  reconnect(): void {
    this.#client.disconnect(true);
  }

  async close(): Promise<void> {
    this.#ready = false;
    await closeRedis(this.#client);
  }

  #lost(reason: string): void {
    if (!this.#ready) return;
    this.#ready = false;
    this.#options.onDown(reason);
  }

  async #scan(onBatch: (keys: string[]) => Promise<void>): Promise<void> {
    const match = `${escapeGlob(this.#options.prefix)}*`;
    let cursor = '0';
    do {
      const [next, keys] = await this.#client.scan(cursor, 'MATCH', match, 'COUNT', SCAN_COUNT);
      cursor = next;
      if (keys.length > 0) await onBatch(keys);
    } while (cursor !== '0');
  }
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}
