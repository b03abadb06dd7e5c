import t from 'tap';
import type { Browser, Route } from 'playwright-core';
import {
  createAdmin,
  createUser,
  launchBrowser,
  openTab,
  screenshot,
  signIn,
  startPortal,
  type Portal,
} from './helpers.js';

// The journeys below share one portal (admin + bob) and browser; each has its own profile.
let portal: Portal;
let browser: Browser;
t.before(async () => {
  portal = await startPortal(t);
  await createAdmin(portal);
  await createUser(portal, 'bob');
  browser = await launchBrowser(t);
});

t.test('a signed-out visitor is sent to /login and comes back to the page they wanted', async (t) => {
  const { page, log } = await openTab(browser, portal);

  await page.goto('/history?q=report');
  await page.waitForURL('**/login?next=*');
  t.equal(new URL(page.url()).searchParams.get('next'), '/history?q=report');
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();

  await page.getByLabel('Username').fill('admin');
  await page.getByLabel('Password', { exact: true }).fill('wrong password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  t.match(
    await page.getByRole('alert').textContent(),
    /wrong username or password/i,
    'a failed sign-in says what to do',
  );

  await signIn(page, 'admin');
  t.equal(new URL(page.url()).pathname, '/history');
  t.equal(new URL(page.url()).searchParams.get('q'), 'report');
  t.equal(await page.getByRole('searchbox', { name: 'Search conversations' }).inputValue(), 'report');
  await screenshot(page, 'login-redirect-return');

  // A session that can no longer be refreshed ends on /login, remembering the page.
  await page.context().clearCookies();
  await page.getByRole('link', { name: 'History' }).click();
  await page.waitForURL('**/login?next=*');
  t.equal(new URL(page.url()).searchParams.get('next'), '/history');
  await page.getByText('Your session ended').waitFor();
  t.same(log.errors, []);
  t.same(log.cspViolations, []);
});

t.test('an expired access token is refreshed silently', async (t) => {
  const { page, context } = await openTab(browser, portal);
  await signIn(page, 'admin');
  // Drop only the access cookie, as if its 30 minutes had passed: the refresh cookie remains.
  const cookies = await context.cookies();
  t.ok(
    cookies.some((c) => c.name === 'refresh_token'),
    'a refresh cookie was set',
  );
  await context.clearCookies({ name: 'access_token' });
  await page.goto('/history');
  await page.getByRole('searchbox', { name: 'Search conversations' }).waitFor();
  t.equal(new URL(page.url()).pathname, '/history', 'still signed in');
  t.ok(
    (await context.cookies()).some((c) => c.name === 'access_token'),
    'a new access cookie was issued',
  );
});

t.test('two tabs whose access token expired refresh at once and both stay signed in', async (t) => {
  const { page, context } = await openTab(browser, portal);
  await signIn(page, 'admin');
  const other = await context.newPage();
  await other.goto('/history');
  await other.getByRole('searchbox', { name: 'Search conversations' }).waitFor();
  // Hold the tabs' refreshes until both are out, so both present the same refresh token.
  const held: Route[] = [];
  await context.route('**/api/auth/refresh', (route) => {
    held.push(route);
    if (held.length === 2) for (const r of held) void r.continue();
    if (held.length > 2) void route.continue();
  });
  await context.clearCookies({ name: 'access_token' });
  await Promise.all([page.goto('/history'), other.reload()]);
  for (const tab of [page, other]) await tab.getByRole('searchbox', { name: 'Search conversations' }).waitFor();
  const presented = await Promise.all(held.slice(0, 2).map((r) => r.request().headerValue('cookie')));
  t.match(presented[0], /refresh_token=/);
  t.equal(presented[0], presented[1], 'both tabs refreshed with the same token');
  for (const tab of [page, other]) t.equal(new URL(tab.url()).pathname, '/history', 'still signed in');
});

t.test('a refresh that cannot reach the server keeps the session', async (t) => {
  const { page, context } = await openTab(browser, portal);
  await signIn(page, 'admin');
  // Refreshes fail from before the access cookie goes: a request the page makes meanwhile
  // cannot renew the session behind the test's back.
  let attempts = 0;
  await context.route('**/api/auth/refresh', (route) => {
    attempts++;
    return route.abort('internetdisconnected');
  });
  await context.clearCookies({ name: 'access_token' });
  await page.getByRole('link', { name: 'History' }).click();
  await page
    .getByText(/can.t reach the server/i)
    .first()
    .waitFor();
  t.ok(attempts > 0, 'a refresh was tried');
  t.equal(new URL(page.url()).pathname, '/history', 'not sent to sign in');
  await context.unroute('**/api/auth/refresh');
  await page.reload();
  await page.getByRole('searchbox', { name: 'Search conversations' }).waitFor();
  t.equal(new URL(page.url()).pathname, '/history', 'back online, still signed in');
});

t.test('a server unreachable when the page loads is asked again, not taken for signed out', async (t) => {
  const { page, context } = await openTab(browser, portal);
  await signIn(page, 'admin');
  // Who is signed in, and the refresh behind it: neither can reach the server.
  await context.route('**/api/auth/**', (route) => route.abort('internetdisconnected'));
  await page.goto('/history');
  await page
    .getByRole('alert')
    .getByText(/can.t reach the server/i)
    .waitFor();
  t.equal(new URL(page.url()).pathname, '/history', 'not sent to sign in');
  await screenshot(page, 'server-unreachable-at-load');
  await context.unroute('**/api/auth/**');
  // The next attempt (within seconds, or at once with "Try now") finds the session.
  await page.getByRole('button', { name: 'Try now' }).click();
  await page.getByRole('searchbox', { name: 'Search conversations' }).waitFor();
  t.equal(new URL(page.url()).pathname, '/history', 'back online, still signed in');
});

t.test('a plain user cannot reach /admin', async (t) => {
  const { page, log } = await openTab(browser, portal);

  await page.goto('/admin');
  await page.waitForURL('**/login?next=*');
  await signIn(page, 'bob');
  await page.waitForURL((url) => url.pathname === '/');
  await page.getByText('The admin page is for administrators only.').waitFor();
  t.equal(await page.getByRole('link', { name: 'Admin' }).count(), 0, 'no Admin link for a user');
  t.equal(await page.locator('[data-testid="metric-cards"]').count(), 0);
  const status = await page.evaluate(async () => (await fetch('/api/admin/metrics')).status);
  t.equal(status, 403, 'the server refuses too');
  await screenshot(page, 'user-cannot-reach-admin');
  t.same(log.errors, []);
});
