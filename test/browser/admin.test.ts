import t from 'tap';
import { PHONE, createAdmin, launchBrowser, openTab, screenshot, signIn, startPortal } from './helpers.js';

const isMetrics = (url: string) => new URL(url).pathname === '/api/admin/metrics';

t.test('an admin sees live metrics, flushes the cache and manages users', async (t) => {
  const portal = await startPortal(t);
  await createAdmin(portal);
  // One cached answer, as a repeated question would leave behind.
  await portal.app.responseCache.set('browser-test-entry', {
    text: 'A cached answer.',
    usage: { promptTokens: 5, completionTokens: 4 },
    finishReason: 'stop',
    createdAt: new Date().toISOString(),
    timings: { ttftMs: 10, totalMs: 20, tokensPerSecond: 200 },
    context: { includedMessages: 1, droppedMessages: 0 },
  });
  const browser = await launchBrowser(t);
  const { page, log } = await openTab(browser, portal);
  await signIn(page, 'admin');

  const firstPoll = page.waitForResponse((res) => isMetrics(res.url()) && res.status() === 200);
  await page.getByRole('link', { name: 'Admin' }).click();
  await firstPoll;
  const cards = page.locator('[data-testid="metric-cards"]');
  await cards.waitFor();
  for (const label of [
    'CPU',
    'Memory',
    'Uptime',
    'Active sessions',
    'Time to first token',
    'Generation speed',
    'Chat · API',
    'Queue',
    'Model',
  ]) {
    t.ok(await cards.getByRole('region', { name: label, exact: true }).isVisible(), `${label} card`);
  }
  t.notMatch(await cards.getByRole('region', { name: 'Model' }).textContent(), /not loaded/, 'the model is loaded');
  await page.locator('[data-testid="metric-charts"] figure').nth(3).waitFor();
  t.equal(await page.locator('[data-testid="metric-charts"] figure').count(), 4, 'four charts of the last hour');
  // Live: the page asks again by itself.
  await page.waitForResponse((res) => isMetrics(res.url()) && res.status() === 200, { timeout: 20_000 });
  t.pass('metrics are polled');

  const facts = page.locator('[data-testid="cache-facts"]');
  t.match(await facts.textContent(), /Entries1/, 'the cached entry is counted');
  await page.getByRole('button', { name: 'Flush cache' }).click();
  const dialog = page.getByRole('dialog', { name: 'Flush the response cache?' });
  await dialog.getByRole('button', { name: 'Flush' }).click();
  await page.getByText('Cache flushed: 1 entry removed.').waitFor();
  await facts.locator('.fact', { hasText: 'Entries' }).locator('dd').filter({ hasText: /^0$/ }).waitFor();
  t.equal(portal.app.responseCache.stats().entries, 0, 'the server cache is empty');
  await screenshot(page, 'admin-flushed');

  // Users: create, disable, reset password, delete.
  const form = page.getByRole('form', { name: 'Add a user' });
  await form.getByLabel('Username').fill('carol');
  await form.getByLabel('Password').fill('carol password 1');
  await form.getByRole('button', { name: 'Add user' }).click();
  const row = page.locator('.users-table tr', { hasText: 'carol' });
  await row.waitFor();
  await row.getByRole('button', { name: 'Disable' }).click();
  await row.getByText('Disabled', { exact: true }).waitFor();
  await row.getByRole('button', { name: 'Reset password of carol' }).click();
  const reset = page.getByRole('dialog', { name: 'New password for carol' });
  await reset.getByLabel(/New password/).fill('another password');
  await reset.getByRole('button', { name: 'Set password' }).click();
  await page.getByText('Password of carol changed.').waitFor();
  await row.getByRole('button', { name: 'Delete carol' }).click();
  await page.getByRole('dialog', { name: 'Delete carol?' }).getByRole('button', { name: 'Delete user' }).click();
  await row.waitFor({ state: 'detached' });
  await page.getByRole('button', { name: 'Refresh' }).click();
  await page.locator('.audit-table').getByText('carol').first().waitFor();
  t.pass('the audit log shows what was done');
  await page.locator('.page-content').evaluate((el) => ((el as unknown as { scrollTop: number }).scrollTop = 0));
  await screenshot(page, 'admin-desktop');

  await page.setViewportSize(PHONE);
  // On a phone the sidebar becomes a closed drawer (after its slide-out transition).
  await page.locator('#sidebar').waitFor({ state: 'hidden' });
  await page.locator('.toast').first().waitFor({ state: 'detached' });
  await screenshot(page, 'admin-phone');
  t.same(log.errors, []);
  t.same(log.cspViolations, []);
});
