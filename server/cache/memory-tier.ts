import { LRUCache } from 'lru-cache';

export interface MemoryTierOptions {
  /** Byte bound of all entries (keys + serialized values, UTF-8); 0 turns the tier off. */
  maxBytes: number;
  /** Lifetime of an entry in seconds. */
  ttlSec: number;
}

/**
 * The in-process tier: serialized entries in an LRU bounded by bytes and by TTL. Values
 * are kept as the JSON string so their size is exact and callers cannot mutate them.
 * With a bound of 0 it keeps nothing (lru-cache needs a positive bound).
 */
export class MemoryTier {
  readonly #lru: LRUCache<string, string> | undefined;

  constructor({ maxBytes, ttlSec }: MemoryTierOptions) {
    if (maxBytes === 0) return;
    this.#lru = new LRUCache<string, string>({
      maxSize: maxBytes,
      sizeCalculation: (value, key) => Buffer.byteLength(value, 'utf8') + Buffer.byteLength(key, 'utf8'),
      ttl: ttlSec * 1000,
      // Expiry is checked on read; stats() purges the rest, so no timer per entry.
      ttlAutopurge: false,
      updateAgeOnGet: false,
    });
  }

  get(key: string): string | undefined {
    return this.#lru?.get(key);
  }

  /**
   * Stores an entry; one larger than the whole bound is silently not kept. `ttlMs` shortens
   * its life (an entry copied from Redis keeps the time Redis had left for it).
   */
  set(key: string, value: string, ttlMs?: number): void {
    this.#lru?.set(key, value, ttlMs === undefined ? undefined : { ttl: ttlMs });
  }

  /** Removes every entry; returns the keys of the live ones that went. */
  clear(): string[] {
    if (this.#lru === undefined) return [];
    this.#lru.purgeStale();
    const keys = [...this.#lru.keys()];
    this.#lru.clear();
    return keys;
  }

  stats(): { entries: number; bytes: number } {
    if (this.#lru === undefined) return { entries: 0, bytes: 0 };
    this.#lru.purgeStale();
    return { entries: this.#lru.size, bytes: this.#lru.calculatedSize };
  }
}
