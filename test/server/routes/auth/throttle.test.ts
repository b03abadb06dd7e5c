import t from 'tap';
import { PASSWORD, buildTestApp, setupAdmin } from '../../../helpers/app.js';

const attempt = (
  app: Awaited<ReturnType<typeof buildTestApp>>,
  password: string,
  remoteAddress: string,
  cookies?: Record<string, string>,
) =>
  app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username: 'admin', password },
    remoteAddress,
    ...(cookies ? { cookies } : {}),
  });

t.test('40 parallel wrong passwords: 5 are checked, the rest get 429 with Retry-After', async (t) => {
  const app = await buildTestApp(t);
  await setupAdmin(app);
  const results = await Promise.all(Array.from({ length: 40 }, () => attempt(app, 'wrong-password', '10.0.0.1')));
  const counts = results.reduce<Record<number, number>>(
    (acc, r) => ({ ...acc, [r.statusCode]: (acc[r.statusCode] ?? 0) + 1 }),
    {},
  );
  t.same(counts, { 401: 5, 429: 35 });
  const refused = results.find((r) => r.statusCode === 429)!;
  t.equal(refused.json().error.code, 'throttled');
  t.ok(Number(refused.headers['retry-after']) > 0);
});

t.test('more addresses buy no more than 20 guesses at one username', async (t) => {
  const app = await buildTestApp(t);
  await setupAdmin(app);
  const statuses: number[] = [];
  for (let a = 1; a <= 6; a++)
    for (let i = 0; i < 5; i++) statuses.push((await attempt(app, 'wrong-password', `10.0.0.${a}`)).statusCode);
  t.equal(statuses.filter((s) => s === 401).length, 20);
  t.equal(statuses.filter((s) => s === 429).length, 10);
  t.equal((await attempt(app, PASSWORD, '10.0.0.9')).statusCode, 429, 'a new device waits out the flood');
});

t.test('a browser already signed in as the user is not locked out by a flood from elsewhere', async (t) => {
  const app = await buildTestApp(t);
  await setupAdmin(app);
  const first = await attempt(app, PASSWORD, '192.168.1.5');
  t.equal(first.statusCode, 200);
  const refreshToken = first.cookies.find((c) => c.name === 'refresh_token')!.value;
  for (let a = 1; a <= 5; a++) for (let i = 0; i < 5; i++) await attempt(app, 'wrong-password', `10.0.0.${a}`);
  t.equal((await attempt(app, PASSWORD, '192.168.1.6')).statusCode, 429, 'without proof it waits');
  const again = await attempt(app, PASSWORD, '192.168.1.5', { refresh_token: refreshToken });
  t.equal(again.statusCode, 200, 'the known device signs in');
  const bogus = await attempt(app, PASSWORD, '192.168.1.7', { refresh_token: 'not-a-token' });
  t.equal(bogus.statusCode, 429, 'a made-up cookie proves nothing');
});
