import t from 'tap';
import { PASSWORD, launchBrowser, openTab, screenshot, startPortal } from './helpers.js';

t.test('first-run setup creates the admin and signs them in', async (t) => {
  const portal = await startPortal(t);
  const browser = await launchBrowser(t);
  const { page, log } = await openTab(browser, portal);

  await page.goto('/');
  await page.waitForURL('**/login');
  await page.getByRole('heading', { name: /create the admin account/i }).waitFor();
  await page.getByLabel('Username').fill('root-admin');
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByLabel('Confirm password').fill(`${PASSWORD}!`);
  await page.getByRole('button', { name: 'Create admin account' }).click();
  t.match(
    await page.getByRole('alert').textContent(),
    /passwords differ/i,
    'a mismatch is explained before anything is sent',
  );

  await page.getByLabel('Confirm password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create admin account' }).click();
  await page.waitForURL((url) => url.pathname === '/');
  await page.getByRole('heading', { name: 'How can I help you today?' }).waitFor();
  t.equal(await page.locator('.account-name').textContent(), 'root-admin');
  t.ok(await page.getByRole('link', { name: 'Admin' }).isVisible(), 'the first account is an admin');
  await screenshot(page, 'first-run-setup');

  const setup = await portal.app.inject({ url: '/api/auth/setup' });
  t.same(setup.json(), { needed: false }, 'setup is over once the admin exists');
  t.same(log.errors, []);
  t.same(log.cspViolations, []);
});
