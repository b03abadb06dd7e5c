import t from 'tap';
import { bearer, buildTestApp, createUser, setupAdmin } from '../../../helpers/app.js';
import { admitOrRefuse } from '../../../../server/routes/v1/rate-limits.js';

t.test('admitOrRefuse sets OpenAI rate-limit headers and refuses with 429 and Retry-After', async (t) => {
  const app = await buildTestApp(t);
  let annId = '';
  app.get('/tiny', async (_request, reply) => {
    await admitOrRefuse(app, { id: annId, role: 'user' }, reply);
    return { ok: true };
  });
  const admin = await setupAdmin(app);
  const ann = await createUser(app, admin, 'ann');
  annId = ann.id;
  await app.inject({
    method: 'PUT',
    url: `/api/admin/limits/users/${ann.id}`,
    headers: bearer(admin),
    payload: { requestsPerMinute: 2, tokensPerDay: 500 },
  });
  const first = await app.inject({ url: '/tiny' });
  t.equal(first.statusCode, 200);
  t.equal(first.headers['x-ratelimit-limit-requests'], '2');
  t.equal(first.headers['x-ratelimit-remaining-requests'], '1');
  t.match(first.headers['x-ratelimit-reset-requests'], /^\d+s$/);
  t.equal(first.headers['x-ratelimit-limit-tokens'], '500');
  t.equal(first.headers['x-ratelimit-remaining-tokens'], '500');
  t.equal((await app.inject({ url: '/tiny' })).statusCode, 200);
  const refused = await app.inject({ url: '/tiny' });
  t.equal(refused.statusCode, 429);
  t.equal(refused.json().error.code, 'rate_limited');
  t.equal(refused.headers['x-ratelimit-remaining-requests'], '0');
  t.ok(Number(refused.headers['retry-after']) > 0);
});
