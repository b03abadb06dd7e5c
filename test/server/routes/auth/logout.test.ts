import net from 'node:net';
import t from 'tap';
import { ChatClient } from '../../../helpers/ws-client.js';
import { PASSWORD, bearer, buildTestApp, setupAdmin } from '../../../helpers/app.js';

t.test('signing out revokes the access token of that session, not of others', async (t) => {
  const app = await buildTestApp(t);
  await setupAdmin(app);
  const login = () =>
    app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: PASSWORD } });
  const one = (await login()).json<{ accessToken: string; refreshToken: string }>();
  const other = (await login()).json<{ accessToken: string }>();
  t.equal((await app.inject({ url: '/api/auth/me', headers: bearer(one.accessToken) })).statusCode, 200);

  const out = await app.inject({
    method: 'POST',
    url: '/api/auth/logout',
    headers: bearer(one.accessToken),
    payload: { refreshToken: one.refreshToken },
  });
  t.equal(out.statusCode, 204);
  const after = await app.inject({ url: '/api/auth/me', headers: bearer(one.accessToken) });
  t.equal(after.statusCode, 401, 'the access token died with its session');
  t.equal(after.json().error.code, 'unauthenticated');
  t.equal((await app.inject({ url: '/api/conversations', headers: bearer(one.accessToken) })).statusCode, 401);
  t.equal(
    (await app.inject({ url: '/api/auth/me', headers: bearer(other.accessToken) })).statusCode,
    200,
    'another sign-in is untouched',
  );

  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as net.AddressInfo;
  const client = await ChatClient.connect(`ws://127.0.0.1:${port}/api/chat/ws`);
  t.teardown(() => client.close());
  client.send({ type: 'auth', token: one.accessToken });
  const refused = await client.waitFor((f) => f.type === 'error');
  t.equal(refused.code, 'unauthenticated', 'a socket cannot authenticate with it either');
});

t.test('a browser signing out by cookie alone revokes its access cookie too', async (t) => {
  const app = await buildTestApp(t);
  await setupAdmin(app);
  const signedIn = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    headers: { origin: 'http://localhost' },
    payload: { username: 'admin', password: PASSWORD },
  });
  const cookies = Object.fromEntries(signedIn.cookies.map((c) => [c.name, c.value]));
  const out = await app.inject({
    method: 'POST',
    url: '/api/auth/logout',
    cookies: { refresh_token: cookies.refresh_token! },
  });
  t.equal(out.statusCode, 204);
  t.equal(
    (await app.inject({ url: '/api/auth/me', cookies: { access_token: cookies.access_token! } })).statusCode,
    401,
  );
});
