import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import t, { type Test } from 'tap';
import { cacheKey } from '../../../server/cache/cache-key.js';
import {
  createResponseCache,
  type CachedAnswer,
  type ResponseCacheOptions,
} from '../../../server/cache/response-cache.js';

// The shared Redis every test run uses; each test keeps to its own prefix and removes it.
const REDIS_URL = 'redis://127.0.0.1:6379';
const raw = new Redis(REDIS_URL);
t.teardown(() => raw.quit());

const answer = (text: string): CachedAnswer => ({
  text,
  usage: { promptTokens: 3, completionTokens: 5 },
  finishReason: 'stop',
  createdAt: new Date().toISOString(),
});

async function redisCache(t: Test, options: Partial<ResponseCacheOptions> = {}) {
  const prefix = `pocketllm:test:${randomUUID()}:`;
  const cache = createResponseCache({ redisUrl: REDIS_URL, ttlSec: 60, memoryMb: 1, prefix, ...options });
  t.teardown(async () => {
    await cache.flush();
    await cache.close();
  });
  t.equal(await cache.ready(), 'redis');
  return { cache, prefix };
}

t.test('round trip through Redis, stored under the prefix with the TTL', async (t) => {
  const { cache, prefix } = await redisCache(t, { ttlSec: 120 });
  const key = cacheKey({ modelFingerprint: 'm', prompt: 'What is 2+2?', options: { temperature: 0 } });
  t.equal(await cache.get(key), undefined);
  const four = answer('4');
  await cache.set(key, four);
  t.same(await cache.get(key), four, 'same answer back');
  const ttl = await raw.ttl(prefix + key);
  t.ok(ttl > 0 && ttl <= 120, `TTL ${ttl} set on the Redis key`);
  t.equal(cache.stats().memory.entries, 1, 'the memory tier keeps a copy');
  t.match(cache.stats(), { backend: 'redis', hits: 1, misses: 1, hitRate: 0.5, ttlSec: 120 });
});

t.test('a repeated question is answered from the memory copy, without Redis', async (t) => {
  const { cache, prefix } = await redisCache(t);
  await cache.set('k', answer('near'));
  await raw.del(`${prefix}k`);
  t.equal((await cache.get('k'))?.text, 'near', 'served although Redis no longer has it');
});

t.test('a Redis hit is copied into memory for the time Redis had left for it', async (t) => {
  const { cache, prefix } = await redisCache(t, { ttlSec: 60 });
  // Stored by an earlier process: Redis has it, this process's memory does not.
  await raw.set(`${prefix}k`, JSON.stringify(answer('earlier')), 'PX', 1200);
  t.equal(cache.stats().memory.entries, 0);
  t.equal((await cache.get('k'))?.text, 'earlier', 'read from Redis');
  t.equal(cache.stats().memory.entries, 1, 'copied into memory');
  await raw.del(`${prefix}k`);
  t.equal((await cache.get('k'))?.text, 'earlier', 'the copy answers');
  await sleep(1400);
  t.equal(await cache.get('k'), undefined, 'the copy expired with the Redis entry, not after ttlSec');
});

t.test('a flush during a Redis read does not leave a copy behind', async (t) => {
  const { cache, prefix } = await redisCache(t);
  await raw.set(`${prefix}k`, JSON.stringify(answer('flushed')), 'EX', 60);
  const reading = cache.get('k');
  const flushing = cache.flush();
  t.equal((await reading)?.text, 'flushed', 'the read that started first is answered');
  t.equal(await flushing, 1);
  t.equal(cache.stats().memory.entries, 0, 'no copy in memory');
  t.equal(await cache.get('k'), undefined);
});

t.test('a Redis read that starts while a flush runs does not leave a copy behind', async (t) => {
  const { cache, prefix } = await redisCache(t);
  await raw.set(`${prefix}k`, JSON.stringify(answer('flushed')), 'EX', 60);
  const flushing = cache.flush(); // its SCAN goes first; the read's GET lands before its UNLINK
  const reading = cache.get('k');
  await reading;
  t.equal(await flushing, 1);
  t.equal(cache.stats().memory.entries, 0, 'no copy in memory');
  t.equal(await cache.get('k'), undefined);
});

t.test('CACHE_MEMORY_MB=0: Redis alone, no copies in the process', async (t) => {
  const { cache } = await redisCache(t, { memoryMb: 0 });
  await cache.set('k', answer('redis only'));
  t.equal((await cache.get('k'))?.text, 'redis only');
  t.match(cache.stats().memory, { entries: 0, bytes: 0 });
  t.equal(await cache.flush(), 1);
});

t.test('different options or prompt miss', async (t) => {
  const { cache } = await redisCache(t);
  const base = { modelFingerprint: 'm', prompt: 'Hi' };
  await cache.set(cacheKey({ ...base, options: { temperature: 0 } }), answer('Hello'));
  t.equal(await cache.get(cacheKey({ ...base, options: { temperature: 0.5 } })), undefined);
  t.equal(await cache.get(cacheKey({ ...base, prompt: 'Hi!', options: { temperature: 0 } })), undefined);
  t.equal((await cache.get(cacheKey({ ...base, options: { temperature: 0 } })))?.text, 'Hello');
});

t.test('expiry is honoured in Redis', async (t) => {
  const { cache } = await redisCache(t, { ttlSec: 1 });
  await cache.set('k', answer('short-lived'));
  t.ok(await cache.get('k'));
  await sleep(1500);
  t.equal(await cache.get('k'), undefined);
});

t.test('stats count the prefix entries; flush removes only them', async (t) => {
  const { cache, prefix } = await redisCache(t);
  const neighbour = `${prefix.slice(0, -1)}-other:key`;
  await raw.set(neighbour, 'not ours', 'EX', 60);
  t.teardown(() => raw.del(neighbour));
  for (const key of ['a', 'b', 'c']) await cache.set(key, answer(key));
  const stats = await cache.refreshStats();
  t.equal(stats.entries, 3);
  t.ok(stats.bytes > 0);
  t.equal(await cache.flush(), 3);
  t.equal(await cache.get('a'), undefined);
  t.equal(await raw.get(neighbour), 'not ours', 'keys outside the prefix survive');
  t.equal((await cache.refreshStats()).entries, 0);
});

t.test('glob characters in the prefix are matched literally', async (t) => {
  const prefix = `pocketllm:test:${randomUUID()}:*?[x]:`;
  const cache = createResponseCache({ redisUrl: REDIS_URL, ttlSec: 60, memoryMb: 1, prefix });
  t.teardown(() => cache.close());
  await cache.ready();
  const lookalike = prefix.replace('*?[x]', 'zzx') + 'k';
  await raw.set(lookalike, 'x', 'EX', 60);
  t.teardown(() => raw.del(lookalike));
  await cache.set('k', answer('k'));
  t.equal(await cache.flush(), 1);
  t.equal(await raw.exists(lookalike), 1);
});

t.test('a corrupt Redis entry reads as a miss', async (t) => {
  const { cache, prefix } = await redisCache(t);
  await raw.set(`${prefix}bad`, '{not json', 'EX', 60);
  t.equal(await cache.get('bad'), undefined);
  t.equal(cache.stats().misses, 1);
});
