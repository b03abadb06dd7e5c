import t from 'tap';
import { bearer, buildTestApp, createUser, setupAdmin } from '../../../helpers/app.js';

t.test('create, list without the secret, revoke: own keys only', async (t) => {
  const app = await buildTestApp(t);
  const admin = await setupAdmin(app);
  const alice = await createUser(app, admin, 'alice');
  const bob = await createUser(app, admin, 'bob');

  const created = await app.inject({
    method: 'POST',
    url: '/api/keys',
    headers: bearer(alice.token),
    payload: { name: 'editor', expiresInDays: 30 },
  });
  t.equal(created.statusCode, 201);
  const key = created.json();
  t.match(key, { id: String, name: 'editor', prefix: /^pk-.{8}$/, createdAt: String, expiresAt: String, key: /^pk-/ });
  t.same(Object.keys(key).sort(), ['createdAt', 'expiresAt', 'id', 'key', 'name', 'prefix']);

  const listed = await app.inject({ url: '/api/keys', headers: bearer(alice.token) });
  t.equal(listed.statusCode, 200);
  t.same(listed.json().keys, [
    {
      id: key.id,
      name: 'editor',
      prefix: key.prefix,
      createdAt: key.createdAt,
      expiresAt: key.expiresAt,
      lastUsedAt: null,
    },
  ]);
  t.notMatch(listed.body, key.key, 'never the secret');
  t.notMatch(listed.body, /hash/i, 'never the hash');
  t.same(
    (await app.inject({ url: '/api/keys', headers: bearer(bob.token) })).json().keys,
    [],
    "bob does not see alice's keys",
  );

  const foreign = await app.inject({ method: 'DELETE', url: `/api/keys/${key.id}`, headers: bearer(bob.token) });
  t.equal(foreign.statusCode, 404, "another user's key id is not found");
  t.equal(foreign.json().error.code, 'not_found');
  const own = await app.inject({ method: 'DELETE', url: `/api/keys/${key.id}`, headers: bearer(alice.token) });
  t.equal(own.statusCode, 204);
  t.same((await app.inject({ url: '/api/keys', headers: bearer(alice.token) })).json().keys, []);
  t.equal(
    (await app.inject({ method: 'DELETE', url: `/api/keys/${key.id}`, headers: bearer(alice.token) })).statusCode,
    404,
    'already revoked',
  );
});

t.test('bad input is a 400 naming the field', async (t) => {
  const app = await buildTestApp(t);
  const admin = await setupAdmin(app);
  const cases = [
    [{}, /name/],
    [{ name: '' }, /name/],
    [{ name: 'x'.repeat(65) }, /name/],
    [{ name: 'x', expiresInDays: 0 }, /expiresInDays/],
    [{ name: 'x', expiresInDays: 3651 }, /expiresInDays/],
    [{ name: 'x', expiresInDays: 1.5 }, /expiresInDays/],
    [{ name: 'x', scope: 'all' }, /scope/],
  ] as const;
  for (const [payload, field] of cases) {
    const res = await app.inject({ method: 'POST', url: '/api/keys', headers: bearer(admin), payload });
    t.equal(res.statusCode, 400, JSON.stringify(payload));
    t.match(res.json().error.message, field);
  }
});

t.test('only a session opens /api/keys; an API key never authenticates /api/*', async (t) => {
  const app = await buildTestApp(t);
  const admin = await setupAdmin(app);
  t.equal((await app.inject({ url: '/api/keys' })).statusCode, 401, 'no session');
  const { key } = (
    await app.inject({ method: 'POST', url: '/api/keys', headers: bearer(admin), payload: { name: 'k' } })
  ).json();
  for (const url of ['/api/keys', '/api/conversations', '/api/auth/me', '/api/admin/users', '/api/admin/keys']) {
    const res = await app.inject({ url, headers: bearer(key) });
    t.equal(res.statusCode, 401, `${url} with a pk- Bearer`);
  }
  const viaCookie = await app.inject({ url: '/api/keys', cookies: { access_token: key } });
  t.equal(viaCookie.statusCode, 401, 'nor as a cookie');
});
