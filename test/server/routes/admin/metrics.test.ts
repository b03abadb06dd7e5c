import t from 'tap';
import { bearer, buildTestApp, createUser, setupAdmin } from '../../../helpers/app.js';
import { startChatApp } from '../../../helpers/chat-app.js';
import { ask } from '../../../helpers/ws-client.js';

const PROM_LINE = /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[^}]*\})? (-?[0-9.e+-]+|NaN|Nan|\+Inf|-Inf)$/;

t.test('admin metrics have every field with sane values after a few chats', async (t) => {
  const { app, token, connect } = await startChatApp(t);
  const client = await connect();
  await ask(client, 'a', 'Same question', { options: { temperature: 0, stop: ['e'] } });
  const first = await ask(client, 'b', 'Same question', { options: { temperature: 0, stop: ['e'] } });
  // The second ask is in a new conversation with the same prompt: a cache hit.
  t.equal(first.at(-1)!.cached, true, 'the repeated question was answered from the cache');

  const res = await app.inject({ url: '/api/admin/metrics', headers: bearer(token) });
  t.equal(res.statusCode, 200);
  const m = res.json();
  t.ok(m.system.cpuPercent >= 0 && m.system.cpuPercent <= 100, `cpu ${m.system.cpuPercent}`);
  t.ok(m.system.memory.totalBytes > m.system.memory.usedBytes && m.system.memory.usedBytes > 0);
  t.ok(m.system.memory.processRssBytes > 10_000_000);
  t.ok(m.system.uptimeSec >= 0);
  t.equal(m.system.loadAvg.length, 3);
  t.match(m.model, {
    loaded: true,
    name: String,
    file: 'tiny-random-zephyr.gguf',
    architecture: 'llama',
    contextSize: 512,
    threads: 1,
    parallel: 2,
    status: 'ready',
  });
  t.ok(m.model.parameters > 0);
  t.ok(m.model.loadTimeMs > 0);
  t.ok(m.inference.requests >= 1);
  t.ok(m.inference.tokensGenerated > 0);
  t.ok(m.inference.tokensPerSecond.p50 > 0, 'tokens/s > 0');
  t.ok(m.inference.ttftMs.p50 > 0);
  t.equal(m.cache.backend, 'memory');
  t.equal(m.cache.hits, 1);
  t.equal(m.cache.misses, 1);
  t.equal(m.cache.hitRate, m.cache.hits / (m.cache.hits + m.cache.misses), 'hit rate consistent with hits and misses');
  t.equal(m.cache.entries, 1);
  t.equal(m.cache.ttlSec, 3600);
  t.same(m.sessions, { activeSockets: 1, activeUsers: 1 });
});

t.test('history keeps samples with every field and grows', async (t) => {
  const app = await buildTestApp(t);
  const token = await setupAdmin(app);
  const before = (await app.inject({ url: '/api/admin/metrics/history', headers: bearer(token) })).json();
  t.equal(before.intervalSec, 5);
  app.metrics.history.sample();
  const after = (await app.inject({ url: '/api/admin/metrics/history', headers: bearer(token) })).json();
  t.equal(after.samples.length, before.samples.length + 1);
  t.match(after.samples.at(-1), {
    at: String,
    cpuPercent: Number,
    memoryUsedBytes: Number,
    processRssBytes: Number,
    tokensPerSecond: Number,
    queueDepth: 0,
    activeSessions: 0,
  });
});

t.test('/metrics is Prometheus text whose counters move; loopback or METRICS_TOKEN only', async (t) => {
  const app = await buildTestApp(t, { metricsToken: 'scrape-token-0123456789' });
  const token = await setupAdmin(app);
  const scrape = async () => (await app.inject({ url: '/metrics' })).body;
  const before = await scrape();
  for (const line of before.split('\n').filter((l) => l && !l.startsWith('#'))) {
    if (!PROM_LINE.test(line)) t.fail(`not Prometheus text: ${line}`);
  }
  t.match(before, /# TYPE http_request_duration_seconds histogram/);
  t.match(before, /pocketllm_queue_depth 0/);
  t.match(before, /pocketllm_cache_backend\{backend="memory"\} 1/);
  t.match(before, /process_resident_memory_bytes/);
  await app.inject({ url: '/api/auth/me', headers: bearer(token) });
  const after = await scrape();
  const count = (text: string) =>
    Number(/http_request_duration_seconds_count\{[^}]*route="\/api\/auth\/me"[^}]*\} (\d+)/.exec(text)?.[1] ?? 0);
  t.equal(count(after), count(before) + 1, 'the request counter moved');

  t.equal((await app.inject({ url: '/metrics', remoteAddress: '10.9.8.7' })).statusCode, 401, 'remote without token');
  t.equal(
    (await app.inject({ url: '/metrics', remoteAddress: '10.9.8.7', headers: bearer('wrong-token-0123456789') }))
      .statusCode,
    401,
  );
  t.equal(
    (await app.inject({ url: '/metrics', remoteAddress: '10.9.8.7', headers: bearer('scrape-token-0123456789') }))
      .statusCode,
    200,
  );
  const closed = await buildTestApp(t);
  const refused = await closed.inject({ url: '/metrics', remoteAddress: '10.9.8.7' });
  t.equal(refused.statusCode, 403);
  t.match(refused.json().error.message, /METRICS_TOKEN/);
});

t.test('cache flush empties the cache, says how many went, and is audited; admins only', async (t) => {
  const { app, token, connect } = await startChatApp(t);
  const client = await connect();
  await ask(client, 'a', 'Cache me', { options: { temperature: 0, stop: ['e'] } });
  const user = await createUser(app, token, 'plain');
  t.equal(
    (await app.inject({ method: 'POST', url: '/api/admin/cache/flush', headers: bearer(user.token) })).statusCode,
    403,
  );
  t.equal((await app.inject({ method: 'POST', url: '/api/admin/cache/flush' })).statusCode, 401);
  for (const route of ['/api/admin/metrics', '/api/admin/metrics/history']) {
    t.equal((await app.inject({ url: route, headers: bearer(user.token) })).statusCode, 403, route);
  }
  const flush = await app.inject({ method: 'POST', url: '/api/admin/cache/flush', headers: bearer(token) });
  t.same(flush.json(), { flushed: 1 });
  const again = await ask(client, 'b', 'Cache me', { options: { temperature: 0, stop: ['e'] } });
  t.equal(again.at(-1)!.cached, false, 'flushed answers are gone');
  const audit = (await app.inject({ url: '/api/admin/audit', headers: bearer(token) })).json().entries;
  t.match(
    audit.find((e: { action: string }) => e.action === 'cache.flush'),
    { actor: 'admin', detail: { flushed: 1 } },
  );
});
