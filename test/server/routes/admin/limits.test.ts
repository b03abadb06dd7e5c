import t from 'tap';
import { bearer, buildTestApp, createUser, setupAdmin } from '../../../helpers/app.js';

t.test('role defaults and a user override combine field by field; changes are audited', async (t) => {
  const app = await buildTestApp(t);
  const admin = await setupAdmin(app);
  const ann = await createUser(app, admin, 'ann');
  const get = async (token: string) => (await app.inject({ url: '/api/usage', headers: bearer(token) })).json();

  const defaults = (await app.inject({ url: '/api/admin/limits', headers: bearer(admin) })).json();
  t.same(defaults.roles.admin, { requestsPerMinute: null, tokensPerDay: null, concurrent: null, maxTokens: null });
  t.same(defaults.roles.user, { requestsPerMinute: 30, tokensPerDay: 200000, concurrent: 4, maxTokens: null });
  t.same(defaults.users, {});
  t.same((await get(ann.token)).limits, defaults.roles.user, 'a user starts on the role defaults');

  const role = { requestsPerMinute: 5, tokensPerDay: 1000, concurrent: 2, maxTokens: 100 };
  const put = await app.inject({
    method: 'PUT',
    url: '/api/admin/limits/roles/user',
    headers: bearer(admin),
    payload: role,
  });
  t.equal(put.statusCode, 200);
  const override = await app.inject({
    method: 'PUT',
    url: `/api/admin/limits/users/${ann.id}`,
    headers: bearer(admin),
    payload: { concurrent: null, maxTokens: 50 },
  });
  t.same(override.json(), { concurrent: null, maxTokens: 50 });
  t.same(
    (await get(ann.token)).limits,
    { requestsPerMinute: 5, tokensPerDay: 1000, concurrent: null, maxTokens: 50 },
    'omitted fields inherit the role, null is unlimited',
  );
  const table = (await app.inject({ url: '/api/admin/limits', headers: bearer(admin) })).json();
  t.same(table.roles.user, role);
  t.same(table.users, { [ann.id]: { concurrent: null, maxTokens: 50 } });

  const drop = await app.inject({ method: 'DELETE', url: `/api/admin/limits/users/${ann.id}`, headers: bearer(admin) });
  t.equal(drop.statusCode, 204);
  t.same((await get(ann.token)).limits, role, 'without the override: the role again');
  const again = await app.inject({
    method: 'DELETE',
    url: `/api/admin/limits/users/${ann.id}`,
    headers: bearer(admin),
  });
  t.equal(again.statusCode, 404);

  const audit = (await app.inject({ url: '/api/admin/audit', headers: bearer(admin) })).json();
  const actions = audit.entries.map((e: { action: string }) => e.action);
  for (const action of ['limits.role.set', 'limits.user.set', 'limits.user.drop'])
    t.ok(actions.includes(action), action);
});

t.test('limits are validated, admin-only, and a missing user is a 404', async (t) => {
  const app = await buildTestApp(t);
  const admin = await setupAdmin(app);
  const ann = await createUser(app, admin, 'ann');
  const bad = await app.inject({
    method: 'PUT',
    url: '/api/admin/limits/roles/user',
    headers: bearer(admin),
    payload: { requestsPerMinute: 0, tokensPerDay: null, concurrent: null, maxTokens: null },
  });
  t.equal(bad.statusCode, 400);
  const missing = await app.inject({
    method: 'PUT',
    url: '/api/admin/limits/users/nobody',
    headers: bearer(admin),
    payload: {},
  });
  t.equal(missing.statusCode, 404);
  const forbidden = await app.inject({ url: '/api/admin/limits', headers: bearer(ann.token) });
  t.equal(forbidden.statusCode, 403);
});

t.test('the per-address REST limit answers 429 in the contract shape; health is not limited', async (t) => {
  const app = await buildTestApp(t, { rateLimitPerMinute: 3 });
  const admin = await setupAdmin(app); // setup + login: two requests
  t.equal((await app.inject({ url: '/api/auth/me', headers: bearer(admin) })).statusCode, 200);
  const refused = await app.inject({ url: '/api/auth/me', headers: bearer(admin) });
  t.equal(refused.statusCode, 429);
  t.equal(refused.json().error.code, 'rate_limited');
  t.type(refused.json().error.message, 'string');
  t.ok(Number(refused.headers['retry-after']) > 0, 'Retry-After');
  t.equal((await app.inject({ url: '/healthz' })).statusCode, 200);
});
