import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import t, { type Test } from 'tap';
import { buildApp } from '../../../server/app.js';
import { bearer, setupAdmin, tempDir } from '../../helpers/app.js';
import { testConfig } from '../../helpers/config.js';

// Its own redis-server on a spare port, so the test may kill it mid-way.

async function sparePort(): Promise<number> {
  const server = net.createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

async function startRedis(t: Test, port: number): Promise<ChildProcess> {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'inherit'] });
  t.teardown(() => killRedis(child));
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${output}`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) resolve();
    });
  });
  return child;
}

async function killRedis(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
}

async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

t.test('Redis killed mid-test: requests are still admitted and limited, counted in process', async (t) => {
  const redis = await startRedis(t, await sparePort());
  const port = (redis.spawnargs[2] ?? '').toString();
  const time = Math.floor(Date.now() / 60_000) * 60_000;
  const config = testConfig({ dataDir: tempDir(t), modelsDir: tempDir(t), redisUrl: `redis://127.0.0.1:${port}` });
  const app = await buildApp(config, { now: () => time });
  t.teardown(() => app.close());
  const admin = await setupAdmin(app);
  const limits = { requestsPerMinute: 2, tokensPerDay: null, concurrent: null, maxTokens: null };
  const res = await app.inject({
    method: 'PUT',
    url: '/api/admin/limits/roles/user',
    headers: bearer(admin),
    payload: limits,
  });
  t.equal(res.statusCode, 200);
  const gauge = async () =>
    /^pocketllm_quota_counters_in_redis (\d)$/m.exec((await app.inject({ url: '/metrics' })).body)?.[1];
  const user = { id: 'ann', role: 'user' as const };

  t.equal(app.quota.backend, 'redis');
  t.equal(await gauge(), '1', 'the metric says Redis');
  (await app.quota.admit(user)).release();

  await killRedis(redis);
  await until(() => app.quota.backend === 'memory');
  t.equal(await gauge(), '0', 'the metric says in process');
  const admitted = await app.quota.admit(user);
  t.ok(admitted, 'the next request is admitted while Redis is down');
  admitted.release();
  t.equal(admitted.state.requests.remaining, 1, 'counted afresh in process');
  (await app.quota.admit(user)).release();
  const refused = await app.quota.admit(user).then(
    () => undefined,
    (error: unknown) => error as { limit?: string },
  );
  t.equal(refused?.limit, 'requests', 'and the limit still holds in process');
});
