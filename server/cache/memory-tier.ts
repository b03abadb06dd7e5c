import { LRUCache } from 'lru-cache';

export interface MemoryTierOptions {
  /** Byte bound of all entries (keys + serialized values, UTF-8). */
  maxBytes: number;
  /** Lifetime of an entry in seconds. */
  ttlSec: number;
}

/**
 * The in-process tier: serialized entries in an LRU bounded by bytes and by TTL. Values
 * are kept as the JSON string so their size is exact and callers cannot mutate them.
 */
export class MemoryTier {
  readonly #lru: LRUCache<string, string>;

  constructor({ maxBytes, ttlSec }: MemoryTierOptions) {
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
    return this.#lru.get(key);
  }

  /** Stores an entry; one larger than the whole bound is silently not kept. */
  set(key: string, value: string): void {
    this.#lru.set(key, value);
  }

  /** Removes every entry; returns how many live ones went. */
  clear(): number {
    this.#lru.purgeStale();
    const count = this.#lru.size;
    this.#lru.clear();
    return count;
  }

  stats(): { entries: number; bytes: number } {
    this.#lru.purgeStale();
    return { entries: this.#lru.size, bytes: this.#lru.calculatedSize };
  }
}
