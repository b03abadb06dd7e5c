import t from 'tap';
import { PASSWORD, bearer, buildTestApp, createUser, login, setupAdmin } from '../../../helpers/app.js';

/** Every admin route; ids point at a real user so an admin's call reaches the handler. */
const adminRoutes = (userId: string) =>
  [
    { method: 'GET', url: '/api/admin/users' },
    { method: 'POST', url: '/api/admin/users', payload: { username: 'newbie', password: PASSWORD, role: 'user' } },
    { method: 'PATCH', url: `/api/admin/users/${userId}`, payload: { role: 'user' } },
    { method: 'DELETE', url: `/api/admin/users/${userId}` },
    { method: 'GET', url: '/api/admin/audit' },
  ] as const;

t.test('role matrix: every admin route x {no token, user, admin}', async (t) => {
  const app = await buildTestApp(t);
  const admin = await setupAdmin(app);
  const user = await createUser(app, admin, 'plain');
  for (const route of adminRoutes(user.id)) {
    const anon = await app.inject({ ...route });
    t.equal(anon.statusCode, 401, `${route.method} ${route.url} without token`);
    t.equal(anon.json().error.code, 'unauthenticated');
    const asUser = await app.inject({ ...route, headers: bearer(user.token) });
    t.equal(asUser.statusCode, 403, `${route.method} ${route.url} as user`);
    t.equal(asUser.json().error.code, 'forbidden');
  }
  // Admin last, in order, so the DELETE of the target user is the final call.
  const expected = [200, 201, 200, 204, 200];
  for (const [i, route] of adminRoutes(user.id).entries()) {
    const res = await app.inject({ ...route, headers: bearer(admin) });
    t.equal(res.statusCode, expected[i], `${route.method} ${route.url} as admin`);
  }
});

t.test('create, promote, disable, reset password, delete — each audited', async (t) => {
  const app = await buildTestApp(t);
  const admin = await setupAdmin(app);
  const h = bearer(admin);
  const created = await app.inject({
    method: 'POST',
    url: '/api/admin/users',
    headers: h,
    payload: { username: 'bea', password: PASSWORD },
  });
  t.equal(created.statusCode, 201);
  const bea = created.json().user;
  t.match(bea, { username: 'bea', role: 'user', disabled: false, lastLoginAt: null });
  t.notOk('password_hash' in bea || 'passwordHash' in bea, 'no hash leaves the server');

  const dup = await app.inject({
    method: 'POST',
    url: '/api/admin/users',
    headers: h,
    payload: { username: 'BEA', password: PASSWORD },
  });
  t.equal(dup.statusCode, 409);

  const promoted = await app.inject({
    method: 'PATCH',
    url: `/api/admin/users/${bea.id}`,
    headers: h,
    payload: { role: 'admin' },
  });
  t.equal(promoted.json().user.role, 'admin');
  await app.inject({
    method: 'PATCH',
    url: `/api/admin/users/${bea.id}`,
    headers: h,
    payload: { password: 'a-brand-new-password' },
  });
  t.ok(await login(app, 'bea', 'a-brand-new-password'), 'reset password works');
  const disabled = await app.inject({
    method: 'PATCH',
    url: `/api/admin/users/${bea.id}`,
    headers: h,
    payload: { disabled: true },
  });
  t.equal(disabled.json().user.disabled, true);
  t.equal((await app.inject({ method: 'DELETE', url: `/api/admin/users/${bea.id}`, headers: h })).statusCode, 204);
  t.equal((await app.inject({ method: 'DELETE', url: `/api/admin/users/${bea.id}`, headers: h })).statusCode, 404);

  const audit = (await app.inject({ url: '/api/admin/audit', headers: h })).json().entries as Array<{
    action: string;
    target: string;
    actor: string;
    detail: unknown;
  }>;
  t.same(
    audit.map((e) => e.action),
    ['user.delete', 'user.update', 'user.update', 'user.update', 'user.create', 'setup'],
    'newest first',
  );
  t.equal(audit[0]!.actor, 'admin');
  t.notMatch(JSON.stringify(audit), /a-brand-new-password/, 'passwords never reach the audit log');
});

t.test('an admin cannot delete, demote or disable the last admin', async (t) => {
  const app = await buildTestApp(t);
  const admin = await setupAdmin(app);
  const me = (await app.inject({ url: '/api/auth/me', headers: bearer(admin) })).json().user;
  for (const [method, payload] of [
    ['DELETE', undefined],
    ['PATCH', { role: 'user' }],
    ['PATCH', { disabled: true }],
  ] as const) {
    const res = await app.inject({ method, url: `/api/admin/users/${me.id}`, headers: bearer(admin), payload });
    t.equal(res.statusCode, 409, `${method} ${JSON.stringify(payload)}`);
    t.match(res.json().error.message, /last admin/);
  }
  const second = await createUser(app, admin, 'deputy', 'admin');
  t.equal(
    (
      await app.inject({
        method: 'PATCH',
        url: `/api/admin/users/${me.id}`,
        headers: bearer(second.token),
        payload: { role: 'user' },
      })
    ).statusCode,
    200,
  );
});

t.test('audit paging walks newest to oldest without repeats', async (t) => {
  const app = await buildTestApp(t);
  const admin = await setupAdmin(app);
  for (const name of ['u01', 'u02', 'u03', 'u04']) await createUser(app, admin, name);
  const first = (await app.inject({ url: '/api/admin/audit?limit=3', headers: bearer(admin) })).json();
  t.equal(first.entries.length, 3);
  t.ok(first.nextCursor);
  const second = (
    await app.inject({ url: `/api/admin/audit?limit=3&cursor=${first.nextCursor}`, headers: bearer(admin) })
  ).json();
  t.same(
    [...first.entries, ...second.entries].map((e: { target: string }) => e.target),
    ['u04', 'u03', 'u02', 'u01', 'admin'],
  );
  t.equal(second.nextCursor, null);
});
