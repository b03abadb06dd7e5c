import t from 'tap';
import { PASSWORD, buildTestApp, setupAdmin } from '../../helpers/app.js';

t.test('a request with cookies and a foreign Origin is refused; same-origin and no-Origin pass', async (t) => {
  const app = await buildTestApp(t, { publicOrigin: 'https://chat.example.org' });
  await setupAdmin(app);
  const signedIn = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username: 'admin', password: PASSWORD },
  });
  const cookies = { access_token: signedIn.cookies.find((c) => c.name === 'access_token')!.value };
  const me = (headers: Record<string, string>) =>
    app.inject({ url: '/api/auth/me', cookies, headers: { host: 'portal.lan:3000', ...headers } });

  const foreign = await me({ origin: 'https://evil.example' });
  t.equal(foreign.statusCode, 403);
  t.same(Object.keys(foreign.json()), ['error']);
  t.equal(foreign.json().error.code, 'forbidden');
  const post = await app.inject({
    method: 'POST',
    url: '/api/conversations',
    cookies,
    headers: { host: 'portal.lan:3000', origin: 'https://evil.example' },
    payload: {},
  });
  t.equal(post.statusCode, 403, 'writes too');
  t.equal((await me({ origin: 'http://portal.lan:3000' })).statusCode, 200, 'the portal itself');
  t.equal((await me({ origin: 'https://chat.example.org' })).statusCode, 200, 'PUBLIC_ORIGIN');
  t.equal((await me({})).statusCode, 200, 'no Origin (scripts, navigations)');
  t.equal((await me({ origin: 'null' })).statusCode, 403, 'an opaque origin');
  const noCookie = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    headers: { origin: 'https://evil.example' },
    payload: { username: 'admin', password: PASSWORD },
  });
  t.equal(noCookie.statusCode, 200, 'without cookies there is nothing to ride on');
});

t.test('the socket uses the same Origin check', async (t) => {
  const app = await buildTestApp(t, { publicOrigin: 'https://chat.example.org' });
  const upgrade = (origin: string) =>
    app.inject({
      url: '/api/chat/ws',
      headers: { host: 'portal.lan:3000', origin, connection: 'upgrade', upgrade: 'websocket' },
    });
  t.equal((await upgrade('https://evil.example')).statusCode, 403);
  t.not((await upgrade('https://chat.example.org')).statusCode, 403, 'PUBLIC_ORIGIN may open it');
  t.not((await upgrade('http://portal.lan:3000')).statusCode, 403, 'so may the portal itself');
});

t.test("CSP connect-src is the portal's own origin only", async (t) => {
  const app = await buildTestApp(t);
  const csp = String((await app.inject({ url: '/healthz' })).headers['content-security-policy']);
  const connect = csp.split(';').find((d) => d.trim().startsWith('connect-src'));
  t.equal(connect?.trim(), "connect-src 'self'");
});
