import t from 'tap';
import { createAdmin, createUser, launchBrowser, openTab, screenshot, signIn, startPortal } from './helpers.js';

t.test('a user creates an API key, copies it, uses it on /v1, revokes it', async (t) => {
  const portal = await startPortal(t);
  await createAdmin(portal);
  await createUser(portal, 'dana');
  const browser = await launchBrowser(t);
  const { context, page, log } = await openTab(browser, portal);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: portal.url });
  await signIn(page, 'dana');

  await page.getByRole('link', { name: 'API keys' }).click();
  await page.waitForURL('**/keys');
  await page.getByText('No API keys yet.').waitFor();
  const form = page.getByRole('form', { name: 'Create an API key' });
  await form.getByLabel('Name').fill('laptop');
  await form.getByLabel('Expires').selectOption({ label: '30 days' });
  await form.getByRole('button', { name: 'Create key' }).click();

  const dialog = page.getByRole('dialog', { name: 'API key “laptop” created' });
  await dialog.waitFor();
  t.match(await dialog.textContent(), /will not be shown again/, 'warns that the secret is shown once');
  const shown = (await dialog.getByTestId('api-key-secret').textContent()) ?? '';
  t.match(shown, /^pk-[A-Za-z0-9_-]{43}$/);
  await dialog.getByRole('button', { name: 'Copy', exact: true }).click();
  await dialog.getByRole('button', { name: 'Copied' }).waitFor();
  const copied = await page.evaluate<string>('navigator.clipboard.readText()');
  t.equal(copied, shown, 'the clipboard holds the key');
  await screenshot(page, 'api-key-created');

  const models = () => fetch(`${portal.url}/v1/models`, { headers: { authorization: `Bearer ${copied}` } });
  const ok = await models();
  t.equal(ok.status, 200, 'the copied key works on /v1/models');
  t.match(await ok.json(), { object: 'list', data: [{ id: 'tiny-random-zephyr', object: 'model' }] });
  const completion = await fetch(`${portal.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${copied}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      model: 'tiny-random-zephyr',
      messages: [{ role: 'user', content: 'Hello from my editor' }],
      max_tokens: 8,
    }),
  });
  t.equal(completion.status, 200, 'the copied key answers on /v1/chat/completions');
  t.match(await completion.json(), {
    object: 'chat.completion',
    choices: [{ message: { role: 'assistant', content: String }, finish_reason: /^(stop|length)$/ }],
  });

  await dialog.getByRole('button', { name: 'Done' }).click();
  await dialog.waitFor({ state: 'hidden' });
  const row = page.locator('.keys-table tr', { hasText: 'laptop' });
  await row.waitFor();
  t.match(await row.textContent(), shown.slice(0, 11), 'listed by its prefix');
  t.notMatch(await page.locator('.keys-table').textContent(), shown, 'never the whole secret');

  await row.getByRole('button', { name: 'Revoke laptop' }).click();
  await page.getByRole('dialog', { name: 'Revoke laptop?' }).getByRole('button', { name: 'Revoke key' }).click();
  await row.waitFor({ state: 'detached' });
  const refused = await models();
  t.equal(refused.status, 401, 'revoked: refused at once');
  t.match(await refused.json(), { error: { code: 'invalid_api_key', type: 'invalid_request_error' } });
  await screenshot(page, 'api-keys-page');
  t.same(log.errors, []);
  t.same(log.cspViolations, []);
});
