import type { Redis } from 'ioredis';
import { closeRedis, connectRedis } from '../redis/connect.js';
import type { AdmitResult, CounterStore } from './counter-store.js';
import type { RateLimitKind } from '../../shared/contract/errors.js';

/**
 * Checks all three limits and, when they pass, counts the request and takes a slot: one
 * script, so two portals admitting the same user at once cannot both take the last slot.
 * A limit of -1 is unlimited. Returns {refused kind (0 = admitted), requests, tokens, concurrent}.
 */
const ADMIT_SCRIPT = `
local requests = tonumber(redis.call('GET', KEYS[1]) or '0')
local tokens = tonumber(redis.call('GET', KEYS[2]) or '0')
local concurrent = tonumber(redis.call('GET', KEYS[3]) or '0')
local function over(count, limit) return tonumber(limit) >= 0 and count >= tonumber(limit) end
if over(requests, ARGV[1]) then return {1, requests, tokens, concurrent} end
if over(tokens, ARGV[2]) then return {2, requests, tokens, concurrent} end
if over(concurrent, ARGV[3]) then return {3, requests, tokens, concurrent} end
requests = redis.call('INCR', KEYS[1])
if requests == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[4]) end
concurrent = redis.call('INCR', KEYS[3])
redis.call('PEXPIRE', KEYS[3], ARGV[5])
return {0, requests, tokens, concurrent}
`;

/** Gives a slot back, never below zero (a lease that expired meanwhile leaves nothing to give). */
const RELEASE_SCRIPT = `
local value = tonumber(redis.call('GET', KEYS[1]) or '0')
if value <= 1 then redis.call('DEL', KEYS[1]) return 0 end
return redis.call('DECR', KEYS[1])
`;

const KINDS: Record<number, RateLimitKind> = { 1: 'requests', 2: 'tokens', 3: 'concurrent' };

export interface RedisCountersOptions {
  url: string;
  /** Key prefix; every key this store touches starts with it. */
  prefix: string;
  /** Longest wait for any one command: a stalled Redis must not hold up a chat request. */
  timeoutMs: number;
  onReady: () => void;
  onDown: (reason: string) => void;
}

type ScriptClient = Redis & {
  quotaAdmit(...args: Array<string | number>): Promise<number[]>;
  quotaRelease(key: string): Promise<number>;
};

/**
 * Counters in Redis, shared by every portal on it. The connection behaves like the response
 * cache's (fail fast while disconnected, reconnect in the background); its owner falls back to
 * counting in process while `ready` is false.
 */
export class RedisCounters implements CounterStore {
  readonly #client: ScriptClient;
  readonly #prefix: string;
  #ready = false;

  constructor(options: RedisCountersOptions) {
    this.#prefix = options.prefix;
    const client = connectRedis(options.url, { timeoutMs: options.timeoutMs, name: 'pocketllm-quota' });
    client.defineCommand('quotaAdmit', { numberOfKeys: 3, lua: ADMIT_SCRIPT });
    client.defineCommand('quotaRelease', { numberOfKeys: 1, lua: RELEASE_SCRIPT });
    this.#client = client as ScriptClient;
    client.on('ready', () => {
      this.#ready = true;
      options.onReady();
    });
    client.on('close', () => {
      if (!this.#ready) return;
      this.#ready = false;
      options.onDown('connection closed');
    });
    // Reconnect attempts fail with an error each; the close above already said Redis is gone.
    client.on('error', () => undefined);
  }

  /** Settles once the first connection attempt has either succeeded or failed. */
  firstAttempt(): Promise<void> {
    if (this.#ready) return Promise.resolve();
    return new Promise((resolve) => {
      this.#client.once('ready', () => resolve());
      this.#client.once('error', () => resolve());
    });
  }

  get ready(): boolean {
    return this.#ready;
  }

  async admit(...[keys, limits, times]: Parameters<CounterStore['admit']>): Promise<AdmitResult> {
    const p = this.#prefix;
    const [kind = 0, requests = 0, tokens = 0, concurrent = 0] = await this.#client.quotaAdmit(
      p + keys.requests,
      p + keys.tokens,
      p + keys.concurrent,
      limits.requests ?? -1,
      limits.tokens ?? -1,
      limits.concurrent ?? -1,
      Math.max(1, Math.ceil(times.windowMs)),
      Math.max(1, Math.ceil(times.leaseMs)),
    );
    const refused = KINDS[kind];
    return refused
      ? { admitted: false, limit: refused, requests, tokens }
      : { admitted: true, requests, tokens, concurrent };
  }

  async release(key: string): Promise<void> {
    await this.#client.quotaRelease(this.#prefix + key);
  }

  async addTokens(key: string, tokens: number, ttlMs: number): Promise<void> {
    if (tokens <= 0) return;
    await this.#client
      .multi()
      .incrby(this.#prefix + key, tokens)
      .pexpire(this.#prefix + key, Math.ceil(ttlMs))
      .exec();
  }

  async read(key: string): Promise<number> {
    return Number((await this.#client.get(this.#prefix + key)) ?? 0);
  }

  async close(): Promise<void> {
    this.#ready = false;
    await closeRedis(this.#client);
  }
}
