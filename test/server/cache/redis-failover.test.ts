import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import { Redis } from 'ioredis';
import t, { type Test } from 'tap';
import {
  createResponseCache,
  type CacheBackend,
  type CachedAnswer,
  type CacheLogger,
  type ResponseCache,
} from '../../../server/cache/response-cache.js';

// Each test starts its own redis-server on a spare port, so it may kill, stall and restart it.

interface RedisServer {
  port: number;
  child: ChildProcess;
}

async function sparePort(): Promise<number> {
  const server = net.createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

async function startRedis(t: Test, port: number, extra: string[] = []): Promise<RedisServer> {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...extra];
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'inherit'] });
  t.teardown(() => stopRedis({ port, child }));
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${output}`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) resolve();
    });
  });
  return { port, child };
}

async function stopRedis({ child }: RedisServer): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGCONT');
  child.kill('SIGKILL');
  await exited;
}

interface LogLine {
  level: string;
  msg: string;
  obj: Record<string, unknown>;
}

function captureLogger(): CacheLogger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at = (level: string) => (obj: object, msg?: string) =>
    void lines.push({ level, msg: msg ?? '', obj: obj as Record<string, unknown> });
  return { lines, info: at('info'), warn: at('warn'), error: at('error') };
}

function backendBecomes(cache: ResponseCache, backend: CacheBackend): Promise<void> {
  if (cache.stats().backend === backend) return Promise.resolve();
  return new Promise((resolve) => {
    const off = cache.onBackendChange((change) => {
      if (change.backend !== backend) return;
      off();
      resolve();
    });
  });
}

const answer = (text: string): CachedAnswer => ({
  text,
  usage: { promptTokens: 3, completionTokens: 5 },
  finishReason: 'stop',
  createdAt: new Date().toISOString(),
});

function cacheOn(t: Test, port: number, logger = captureLogger()) {
  const prefix = 'pocketllm:failover:';
  const cache = createResponseCache({ redisUrl: `redis://127.0.0.1:${port}`, ttlSec: 60, memoryMb: 1, prefix, logger });
  t.teardown(() => cache.close());
  const raw = new Redis({ port, lazyConnect: true, enableOfflineQueue: false, retryStrategy: () => null });
  raw.on('error', () => undefined);
  t.teardown(() => raw.disconnect());
  return { cache, logger, raw, prefix };
}

t.test('a Redis without an LRU policy is warned about; an allkeys-lru one is not', async (t) => {
  const server = await startRedis(t, await sparePort());
  const first = cacheOn(t, server.port);
  t.equal(await first.cache.ready(), 'redis');
  t.ok(
    first.logger.lines.some((l) => l.level === 'warn' && /maxmemory-policy is "noeviction"/.test(l.msg)),
    'noeviction warned',
  );
  await first.raw.connect();
  await first.raw.config('SET', 'maxmemory-policy', 'allkeys-lru');
  await first.raw.config('SET', 'maxmemory', '64mb');
  const second = cacheOn(t, server.port);
  t.equal(await second.cache.ready(), 'redis');
  t.same(
    second.logger.lines.filter((l) => l.level === 'warn'),
    [],
    'no warning for allkeys-lru with a bound',
  );
});

t.test('Redis killed mid-run: memory serves; restarted: back on Redis', async (t) => {
  const port = await sparePort();
  let server = await startRedis(t, port);
  const { cache, raw, prefix, logger } = cacheOn(t, port);
  t.equal(await cache.ready(), 'redis');
  await cache.set('before', answer('before'));
  // Stored by an earlier process: only Redis has it.
  await raw.connect();
  await raw.set(`${prefix}earlier`, JSON.stringify(answer('earlier')), 'EX', 60);

  const toMemory = backendBecomes(cache, 'memory');
  const inFlight = cache.get('earlier'); // may be answered or cut off by the kill: either way it resolves
  await stopRedis(server);
  await t.resolves(inFlight, 'a get in flight during the kill resolves');
  await toMemory;
  t.match(cache.stats(), { backend: 'memory', switches: 1 });
  t.ok(
    logger.lines.some((l) => l.level === 'warn' && /switched to memory/.test(l.msg)),
    'switch logged',
  );
  t.equal((await cache.get('before'))?.text, 'before', 'an answer stored before the outage keeps serving');
  await cache.flush(); // the get in flight may have copied 'earlier': count from an empty memory tier
  await cache.set('during', answer('during'));
  t.equal((await cache.get('during'))?.text, 'during', 'served from memory');
  t.equal(cache.stats().memory.entries, 1);

  const toRedis = backendBecomes(cache, 'redis');
  server = await startRedis(t, port);
  await toRedis;
  t.match(cache.stats(), { backend: 'redis', switches: 2 });
  t.equal((await cache.get('during'))?.text, 'during', 'outage entries still read through memory');
  await cache.set('after', answer('after'));
  await raw.connect();
  t.equal(await raw.exists(`${prefix}after`), 1, 'writes go to Redis again');

  t.equal(await cache.flush(), 2, 'flush counts each answer once, in whichever tiers it was');
  t.match(cache.stats().memory, { entries: 0, bytes: 0 });
  t.equal((await cache.refreshStats()).entries, 0);
  t.equal(await cache.get('during'), undefined);
});

t.test('Redis stalled during a request: the call resolves, flush waits for Redis', async (t) => {
  const server = await startRedis(t, await sparePort());
  const { cache, raw, prefix } = cacheOn(t, server.port);
  t.equal(await cache.ready(), 'redis');
  await cache.set('stored', answer('stored'));
  await raw.connect();
  await raw.set(`${prefix}earlier`, JSON.stringify(answer('earlier')), 'EX', 60);

  server.child.kill('SIGSTOP');
  t.equal(await cache.get('earlier'), undefined, 'the get gave up on the stalled Redis');
  t.equal(cache.stats().backend, 'memory');
  t.equal((await cache.get('stored'))?.text, 'stored', 'the memory copy still answers');
  await cache.set('meanwhile', answer('meanwhile'));
  t.equal((await cache.get('meanwhile'))?.text, 'meanwhile');
  t.equal(await cache.flush(), 2, 'only the memory entries could be counted now');

  const toRedis = backendBecomes(cache, 'redis');
  server.child.kill('SIGCONT');
  await toRedis;
  t.equal(await raw.exists(`${prefix}stored`), 0, 'the deferred flush ran when Redis came back');
});

t.test('Redis unreachable at start: memory from the first request, Redis once it appears', async (t) => {
  const port = await sparePort();
  const { cache, logger } = cacheOn(t, port);
  const changes: string[] = [];
  cache.onBackendChange((c) => changes.push(`${c.previous}->${c.backend}`));
  t.equal(await cache.ready(), 'memory');
  t.ok(
    logger.lines.some((l) => l.level === 'warn' && /Redis unreachable/.test(l.msg)),
    'outage logged',
  );
  await cache.set('k', answer('k'));
  t.equal((await cache.get('k'))?.text, 'k');

  const toRedis = backendBecomes(cache, 'redis');
  await startRedis(t, port);
  await toRedis;
  t.same(changes, ['memory->redis']);
  t.equal(cache.stats().switches, 1);
});

t.test('a Redis that refuses writes (OOM under noeviction): answers land in memory, no failover', async (t) => {
  const server = await startRedis(t, await sparePort());
  const { cache, raw, logger } = cacheOn(t, server.port);
  t.equal(await cache.ready(), 'redis');
  await raw.connect();
  await raw.config('SET', 'maxmemory', '1');
  await t.resolves(cache.set('k', answer('kept')));
  t.equal((await cache.get('k'))?.text, 'kept', 'read through the memory tier');
  t.match(cache.stats(), { backend: 'redis', switches: 0 });
  t.ok(
    logger.lines.some((l) => l.level === 'warn' && /OOM/.test(String(l.obj.reason))),
    'refusal logged',
  );
});
