import t from 'tap';
import fs from 'node:fs';
import path from 'node:path';
import { createSigner } from 'fast-jwt';
import { REUSE_GRACE_SEC } from '../../../../server/services/refresh-token-service.js';
import { PASSWORD, bearer, buildTestApp, createUser, login, setupAdmin, tempDir } from '../../../helpers/app.js';

const cookieOf = (setCookie: string | string[] | undefined, name: string) =>
  ([] as string[]).concat(setCookie ?? []).find((c) => c.startsWith(`${name}=`));

t.test('setup works once, then answers 409', async (t) => {
  const app = await buildTestApp(t);
  t.same((await app.inject('/api/auth/setup')).json(), { needed: true });
  const first = await app.inject({
    method: 'POST',
    url: '/api/auth/setup',
    payload: { username: 'root', password: PASSWORD },
  });
  t.equal(first.statusCode, 201);
  t.match(first.json(), { user: { username: 'root', role: 'admin' } });
  const again = await app.inject({
    method: 'POST',
    url: '/api/auth/setup',
    payload: { username: 'other', password: PASSWORD },
  });
  t.equal(again.statusCode, 409);
  t.equal(again.json().error.code, 'conflict');
  t.same((await app.inject('/api/auth/setup')).json(), { needed: false });
});

t.test('two racing setups make exactly one admin', async (t) => {
  const app = await buildTestApp(t);
  const results = await Promise.all(
    ['one', 'two', 'three'].map((u) =>
      app.inject({ method: 'POST', url: '/api/auth/setup', payload: { username: u, password: PASSWORD } }),
    ),
  );
  t.same(results.map((r) => r.statusCode).sort(), [201, 409, 409]);
});

t.test('ADMIN_USERNAME / ADMIN_PASSWORD create the admin at start, once', async (t) => {
  const dataDir = tempDir(t);
  const first = await buildTestApp(t, { dataDir, adminUsername: 'boss', adminPassword: PASSWORD });
  t.ok(await login(first, 'boss'));
  await first.close();
  const second = await buildTestApp(t, { dataDir, adminUsername: 'boss', adminPassword: 'another-password' });
  t.ok(await login(second, 'boss'), 'the existing admin keeps the password it had');
});

t.test('login sets HttpOnly SameSite=Strict cookies and returns a bearer token', async (t) => {
  const app = await buildTestApp(t);
  await setupAdmin(app);
  const res = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username: 'ADMIN', password: PASSWORD },
    headers: { origin: 'http://localhost' },
  });
  t.equal(res.statusCode, 200, 'usernames are case-insensitive');
  const body = res.json();
  t.equal(body.expiresIn, 1800);
  t.equal(body.refreshToken, undefined, 'browsers never see the refresh token in JSON');
  const access = cookieOf(res.headers['set-cookie'], 'access_token');
  const refresh = cookieOf(res.headers['set-cookie'], 'refresh_token');
  t.match(access, /HttpOnly/);
  t.match(access, /SameSite=Strict/);
  t.match(refresh, /Path=\/api\/auth/);
  const cookieToken = /access_token=([^;]+)/.exec(access!)![1]!;
  const me = await app.inject({ url: '/api/auth/me', cookies: { access_token: cookieToken } });
  t.equal(me.json().user.username, 'admin');
  const viaBearer = await app.inject({ url: '/api/auth/me', headers: bearer(body.accessToken) });
  t.equal(viaBearer.statusCode, 200);
});

t.test('wrong password, unknown user and missing token get 401 in the contract shape', async (t) => {
  const app = await buildTestApp(t);
  await setupAdmin(app);
  for (const payload of [
    { username: 'admin', password: 'wrong-password' },
    { username: 'nobody', password: PASSWORD },
  ]) {
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload });
    t.equal(res.statusCode, 401);
    t.same(res.json(), { error: { code: 'invalid_credentials', message: 'Wrong username or password.' } });
  }
  const me = await app.inject('/api/auth/me');
  t.equal(me.statusCode, 401);
  t.equal(me.json().error.code, 'unauthenticated');
});

t.test('expired, tampered and foreign-secret tokens are refused', async (t) => {
  const app = await buildTestApp(t);
  const token = await setupAdmin(app);
  const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString());
  const expired = app.jwt.sign({ sub: claims.sub, role: 'admin', username: 'admin', iat: 1000, exp: 2000 });
  const [h, p, s] = token.split('.');
  const tamperedPayload = Buffer.from(JSON.stringify({ ...claims, role: 'admin', sub: 'someone-else' })).toString(
    'base64url',
  );
  const foreign = createSigner({ key: 'a-completely-different-secret-of-enough-length' })({
    sub: claims.sub,
    role: 'admin',
    username: 'admin',
  });
  const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${p}.`;
  for (const [name, bad] of Object.entries({
    expired,
    tampered: `${h}.${tamperedPayload}.${s}`,
    foreign,
    none,
    garbage: 'abc',
  })) {
    const res = await app.inject({ url: '/api/auth/me', headers: bearer(bad) });
    t.equal(res.statusCode, 401, name);
    t.equal(res.json().error.code, 'unauthenticated', name);
  }
});

t.test('a disabled user can neither log in nor use a token issued before', async (t) => {
  const app = await buildTestApp(t);
  const admin = await setupAdmin(app);
  const ann = await createUser(app, admin, 'ann');
  t.equal(
    (
      await app.inject({
        method: 'PATCH',
        url: `/api/admin/users/${ann.id}`,
        headers: bearer(admin),
        payload: { disabled: true },
      })
    ).statusCode,
    200,
  );
  t.equal((await app.inject({ url: '/api/auth/me', headers: bearer(ann.token) })).statusCode, 401);
  const res = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username: 'ann', password: PASSWORD },
  });
  t.equal(res.statusCode, 401);
});

const refreshWith = (app: Awaited<ReturnType<typeof buildTestApp>>, refreshToken: string) =>
  app.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refreshToken } });

/** Moves every rotation back in time, past the window in which a rotated token is still accepted. */
const ageRotations = (app: Awaited<ReturnType<typeof buildTestApp>>, seconds: number) =>
  app.db
    .updateTable('refresh_tokens')
    .set({ revoked_at: new Date(Date.now() - seconds * 1000).toISOString() })
    .where('revoked_at', 'is not', null)
    .execute();

t.test('refresh rotates; reusing an old token past the grace window revokes the whole family', async (t) => {
  const app = await buildTestApp(t);
  await setupAdmin(app);
  const loginRes = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username: 'admin', password: PASSWORD },
  });
  const first = loginRes.json().refreshToken as string;
  t.ok(first, 'scripts get the refresh token in the body');
  const r1 = await refreshWith(app, first);
  t.equal(r1.statusCode, 200);
  const second = r1.json().refreshToken as string;
  t.not(second, first);
  t.ok(r1.json().accessToken);

  // Seconds later the same token again: another tab, or a response lost to a navigation.
  const again = await refreshWith(app, first);
  t.equal(again.statusCode, 200, 'a token rotated moments ago still refreshes');
  const sibling = again.json().refreshToken as string;
  t.not(sibling, second, 'with a successor of its own');

  await ageRotations(app, REUSE_GRACE_SEC + 1);
  const reuse = await refreshWith(app, first);
  t.equal(reuse.statusCode, 401, 'an old token is refused');
  t.equal((await refreshWith(app, second)).statusCode, 401, 'and the newest ones of that family died with it');
  t.equal((await refreshWith(app, sibling)).statusCode, 401);
});

t.test('two tabs refreshing with the same token at once both stay signed in', async (t) => {
  const app = await buildTestApp(t);
  await setupAdmin(app);
  const token = (
    await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: PASSWORD } })
  ).json().refreshToken as string;
  const results = await Promise.all([1, 2, 3].map(() => refreshWith(app, token)));
  t.same(
    results.map((r) => r.statusCode),
    [200, 200, 200],
  );
  const next = results.map((r) => r.json().refreshToken as string);
  t.equal(new Set(next).size, 3, 'each got its own successor');
  for (const successor of next)
    t.equal((await refreshWith(app, successor)).statusCode, 200, 'and each successor works');
});

t.test('a signed-out session cannot be revived with a token rotated moments before', async (t) => {
  const app = await buildTestApp(t);
  await setupAdmin(app);
  const first = (
    await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: PASSWORD } })
  ).json().refreshToken as string;
  const second = (await refreshWith(app, first)).json().refreshToken as string;
  t.equal(
    (await app.inject({ method: 'POST', url: '/api/auth/logout', payload: { refreshToken: second } })).statusCode,
    204,
  );
  t.equal((await refreshWith(app, first)).statusCode, 401, 'within the grace window, yet refused');
  t.equal((await refreshWith(app, second)).statusCode, 401);
});

t.test('refresh works from the cookie, and logout revokes it', async (t) => {
  const app = await buildTestApp(t);
  await setupAdmin(app);
  const loginRes = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username: 'admin', password: PASSWORD },
    headers: { origin: 'http://x' },
  });
  const refresh = /refresh_token=([^;]+)/.exec(cookieOf(loginRes.headers['set-cookie'], 'refresh_token')!)![1]!;
  const r1 = await app.inject({ method: 'POST', url: '/api/auth/refresh', cookies: { refresh_token: refresh } });
  t.equal(r1.statusCode, 200);
  const next = /refresh_token=([^;]+)/.exec(cookieOf(r1.headers['set-cookie'], 'refresh_token')!)![1]!;
  const out = await app.inject({ method: 'POST', url: '/api/auth/logout', cookies: { refresh_token: next } });
  t.equal(out.statusCode, 204);
  t.match(cookieOf(out.headers['set-cookie'], 'refresh_token'), /Expires=Thu, 01 Jan 1970/);
  const after = await app.inject({ method: 'POST', url: '/api/auth/refresh', cookies: { refresh_token: next } });
  t.equal(after.statusCode, 401);
  const none = await app.inject({ method: 'POST', url: '/api/auth/refresh' });
  t.equal(none.statusCode, 401);
});

t.test('5 failures per username and address in 15 minutes give 429 with Retry-After', async (t) => {
  const app = await buildTestApp(t);
  await setupAdmin(app);
  const attempt = (password: string, remoteAddress = '10.0.0.1') =>
    app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password }, remoteAddress });
  for (let i = 0; i < 5; i++) t.equal((await attempt('wrong-password')).statusCode, 401);
  const blocked = await attempt(PASSWORD);
  t.equal(blocked.statusCode, 429, 'even the right password waits');
  t.equal(blocked.json().error.code, 'throttled');
  const retryAfter = Number(blocked.headers['retry-after']);
  t.ok(retryAfter > 0 && retryAfter <= 900, `Retry-After ${retryAfter}`);
  t.equal((await attempt(PASSWORD, '10.0.0.2')).statusCode, 200, 'another address is not blocked');
  const audit = await app.inject({ url: '/api/admin/audit', headers: bearer(await login(app, 'admin', PASSWORD)) });
  t.equal(audit.json().entries.filter((e: { action: string }) => e.action === 'login.failed').length, 5);
});

t.test('JWT secret is generated once into DATA_DIR with mode 0600 and survives restarts', async (t) => {
  const dataDir = tempDir(t);
  const app1 = await buildTestApp(t, { dataDir });
  const token = await setupAdmin(app1);
  await app1.close();
  const file = path.join(dataDir, 'jwt-secret');
  t.equal(fs.statSync(file).mode & 0o777, 0o600);
  const app2 = await buildTestApp(t, { dataDir });
  t.equal((await app2.inject({ url: '/api/auth/me', headers: bearer(token) })).statusCode, 200);
});
