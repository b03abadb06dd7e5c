import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import { createResponseCache, type CachedAnswer } from '../../../server/cache/response-cache.js';

const answer = (text: string): CachedAnswer => ({
  text,
  usage: { promptTokens: 3, completionTokens: 5 },
  finishReason: 'stop',
  createdAt: new Date().toISOString(),
});

t.test('without Redis the memory tier serves: round trip and stats', async (t) => {
  const cache = createResponseCache({ ttlSec: 60, memoryMb: 1 });
  t.teardown(() => cache.close());
  t.equal(await cache.ready(), 'memory');
  t.equal(await cache.get('k'), undefined);
  await cache.set('k', answer('hello'));
  t.equal((await cache.get('k'))?.text, 'hello');
  const stats = cache.stats();
  t.match(stats, { backend: 'memory', hits: 1, misses: 1, entries: 1, ttlSec: 60, switches: 0 });
  t.equal(stats.hitRate, 0.5);
  t.ok(stats.bytes > 'hello'.length, 'bytes count the serialized entry');
});

t.test('CACHE_MEMORY_MB=0 without Redis: nothing is kept, every lookup misses', async (t) => {
  const cache = createResponseCache({ ttlSec: 60, memoryMb: 0 });
  t.teardown(() => cache.close());
  await cache.set('k', answer('hello'));
  t.equal(await cache.get('k'), undefined);
  t.match(cache.stats(), { backend: 'memory', entries: 0, bytes: 0, misses: 1 });
  t.equal(await cache.flush(), 0);
});

t.test('the byte bound evicts the least recently used entry', async (t) => {
  const cache = createResponseCache({ ttlSec: 60, memoryMb: 1 });
  t.teardown(() => cache.close());
  const big = (c: string) => answer(c.repeat(300 * 1024)); // ~300 KiB each, 3 fit in 1 MiB
  await cache.set('a', big('a'));
  await cache.set('b', big('b'));
  await cache.set('c', big('c'));
  t.ok(await cache.get('a'), 'touch a: b is now the least recently used');
  await cache.set('d', big('d'));
  t.equal(await cache.get('b'), undefined, 'b was evicted');
  for (const key of ['a', 'c', 'd']) t.ok(await cache.get(key), `${key} kept`);
  const { bytes, entries } = cache.stats();
  t.equal(entries, 3);
  t.ok(bytes <= 1024 * 1024, `bytes ${bytes} within the bound`);
});

t.test('multi-byte text is sized in UTF-8 bytes', async (t) => {
  const cache = createResponseCache({ ttlSec: 60, memoryMb: 1 });
  t.teardown(() => cache.close());
  await cache.set('e', answer('é'.repeat(1000)));
  t.ok(cache.stats().bytes >= 2000, 'each é counts two bytes');
});

t.test('entries expire after ttlSec', async (t) => {
  const cache = createResponseCache({ ttlSec: 1, memoryMb: 1 });
  t.teardown(() => cache.close());
  await cache.set('k', answer('soon gone'));
  t.ok(await cache.get('k'));
  await sleep(1200);
  t.equal(await cache.get('k'), undefined);
  t.equal(cache.stats().entries, 0);
});

t.test('only complete answers are stored', async (t) => {
  const cache = createResponseCache({ ttlSec: 60, memoryMb: 1 });
  t.teardown(() => cache.close());
  const cut = { ...answer('cut'), finishReason: 'length' } as unknown as CachedAnswer;
  await t.rejects(cache.set('k', cut), TypeError);
  await t.rejects(cache.set('k', { finishReason: 'stop' } as unknown as CachedAnswer), TypeError);
  t.equal(await cache.get('k'), undefined);
});

t.test('flush empties the tier and counts entries', async (t) => {
  const cache = createResponseCache({ ttlSec: 60, memoryMb: 1 });
  t.teardown(() => cache.close());
  await cache.set('a', answer('a'));
  await cache.set('b', answer('b'));
  t.equal(await cache.flush(), 2);
  t.equal(await cache.get('a'), undefined);
  t.match(cache.stats(), { entries: 0, bytes: 0 });
});
