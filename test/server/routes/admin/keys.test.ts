import t from 'tap';
import { bearer, buildTestApp, createUser, setupAdmin } from '../../../helpers/app.js';

t.test("an admin lists every user's keys and revokes any; a user gets 403", async (t) => {
  const app = await buildTestApp(t);
  const admin = await setupAdmin(app);
  const alice = await createUser(app, admin, 'alice');
  const mine = (
    await app.inject({ method: 'POST', url: '/api/keys', headers: bearer(admin), payload: { name: 'ops' } })
  ).json();
  const hers = (
    await app.inject({
      method: 'POST',
      url: '/api/keys',
      headers: bearer(alice.token),
      payload: { name: 'laptop', expiresInDays: 90 },
    })
  ).json();

  for (const route of [
    { method: 'GET', url: '/api/admin/keys' },
    { method: 'DELETE', url: `/api/admin/keys/${hers.id}` },
  ] as const) {
    t.equal((await app.inject({ ...route })).statusCode, 401, `${route.method} ${route.url} anonymous`);
    t.equal(
      (await app.inject({ ...route, headers: bearer(alice.token) })).statusCode,
      403,
      `${route.method} ${route.url} as a user`,
    );
    t.equal(
      (await app.inject({ ...route, headers: bearer(hers.key) })).statusCode,
      401,
      `${route.method} ${route.url} with an API key`,
    );
  }

  const list = await app.inject({ url: '/api/admin/keys', headers: bearer(admin) });
  t.equal(list.statusCode, 200);
  const keys = list.json().keys as Array<Record<string, unknown>>;
  t.same(keys.map((k) => k.username).sort(), ['admin', 'alice']);
  t.match(
    keys.find((k) => k.id === hers.id),
    {
      userId: alice.id,
      username: 'alice',
      name: 'laptop',
      prefix: hers.prefix,
      lastUsedAt: null,
      expiresAt: String,
      revoked: false,
    },
  );
  t.notMatch(list.body, hers.key, 'no secrets');
  t.notMatch(list.body, mine.key, 'no secrets');

  t.equal(
    (await app.inject({ method: 'DELETE', url: `/api/admin/keys/${hers.id}`, headers: bearer(admin) })).statusCode,
    204,
  );
  t.equal(
    (await app.inject({ method: 'DELETE', url: `/api/admin/keys/${hers.id}`, headers: bearer(admin) })).statusCode,
    404,
    'already revoked',
  );
  t.equal(
    (await app.inject({ method: 'DELETE', url: '/api/admin/keys/nope', headers: bearer(admin) })).statusCode,
    404,
  );
  const after = (await app.inject({ url: '/api/admin/keys', headers: bearer(admin) })).json().keys as Array<{
    id: string;
    revoked: boolean;
  }>;
  t.equal(after.find((k) => k.id === hers.id)?.revoked, true, 'kept, marked revoked');
  t.same(
    (await app.inject({ url: '/api/keys', headers: bearer(alice.token) })).json().keys,
    [],
    'gone from the owner list',
  );

  const audit = (await app.inject({ url: '/api/admin/audit', headers: bearer(admin) })).json().entries as Array<{
    actor: string;
    action: string;
    target: string;
  }>;
  t.match(audit[0], { actor: 'admin', action: 'api_key.revoke', target: 'alice' });
  t.ok(
    audit.some((e) => e.action === 'api_key.create' && e.actor === 'alice'),
    'creation audited',
  );
});

t.test('apiAccess is in the users list and the user update', async (t) => {
  const app = await buildTestApp(t);
  const admin = await setupAdmin(app);
  const alice = await createUser(app, admin, 'alice');
  const users = (await app.inject({ url: '/api/admin/users', headers: bearer(admin) })).json().users as Array<{
    username: string;
    apiAccess: boolean;
  }>;
  t.same(
    users.map((u) => [u.username, u.apiAccess]),
    [
      ['admin', true],
      ['alice', true],
    ],
    'on by default',
  );
  const off = await app.inject({
    method: 'PATCH',
    url: `/api/admin/users/${alice.id}`,
    headers: bearer(admin),
    payload: { apiAccess: false },
  });
  t.equal(off.statusCode, 200);
  t.equal(off.json().user.apiAccess, false);
  const bad = await app.inject({
    method: 'PATCH',
    url: `/api/admin/users/${alice.id}`,
    headers: bearer(admin),
    payload: { apiAccess: 'no' },
  });
  t.equal(bad.statusCode, 400);
});
