import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import t, { type Test } from 'tap';
import { buildApp } from '../../../server/app.js';
import { QuotaRefused } from '../../../server/quota/rate-limit-error.js';
import { bearer, setupAdmin, tempDir } from '../../helpers/app.js';
import { testConfig } from '../../helpers/config.js';

// Two portals on the machine's Redis, each with its own database: the quota key is the user's
// id, so both admit one made-up id (unique per run, no clash with other tests on that Redis).
const REDIS_URL = 'redis://127.0.0.1:6379';
const LIMITS = { requestsPerMinute: 3, tokensPerDay: null, concurrent: null, maxTokens: null };

async function portal(t: Test, now: () => number): Promise<FastifyInstance> {
  const config = testConfig({ dataDir: tempDir(t), modelsDir: tempDir(t), redisUrl: REDIS_URL });
  const app = await buildApp(config, { now });
  t.teardown(() => app.close());
  const admin = await setupAdmin(app);
  const res = await app.inject({
    method: 'PUT',
    url: '/api/admin/limits/roles/user',
    headers: bearer(admin),
    payload: LIMITS,
  });
  t.equal(res.statusCode, 200, 'the user role allows 3 requests a minute');
  t.equal(app.quota.backend, 'redis');
  return app;
}

t.test('two portals sharing one Redis enforce one per-minute limit together', async (t) => {
  // Both clocks at the start of the same minute, so the window cannot end mid-test.
  const time = Math.floor(Date.now() / 60_000) * 60_000;
  const [a, b] = [await portal(t, () => time), await portal(t, () => time)];
  const user = { id: `shared-${randomUUID()}`, role: 'user' as const };
  (await a.quota.admit(user)).release();
  (await a.quota.admit(user)).release();
  (await b.quota.admit(user)).release();
  const refused = await b.quota.admit(user).then(
    () => undefined,
    (error: unknown) => error,
  );
  t.ok(refused instanceof QuotaRefused, 'the 4th request, through the other portal, is refused');
  t.equal((refused as QuotaRefused).limit, 'requests');
  t.equal((refused as QuotaRefused).state.requests.remaining, 0);
  const another = { id: `other-${randomUUID()}`, role: 'user' as const };
  t.ok(await a.quota.admit(another), 'another user is unaffected');
});
