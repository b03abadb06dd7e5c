import fs from 'node:fs';
import t from 'tap';
import {
  createAdmin,
  lastFinishedAnswer,
  launchBrowser,
  openTab,
  screenshot,
  sendChat,
  signIn,
  startPortal,
} from './helpers.js';

t.test('history: search, open, rename, export and delete with confirmation', async (t) => {
  const portal = await startPortal(t);
  await createAdmin(portal);
  const browser = await launchBrowser(t);
  const { page, log } = await openTab(browser, portal);
  await signIn(page, 'admin');

  // One conversation through the chat (it has messages to search), two through the API.
  await sendChat(page, 'Numbers for the quarterly report');
  await lastFinishedAnswer(page);
  for (const title of ['Holiday plans', 'Garden ideas']) {
    const status = await page.evaluate(
      async (body) => {
        const res = await fetch('/api/conversations', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        return res.status;
      },
      { title },
    );
    t.equal(status, 201);
  }

  await page.getByRole('link', { name: 'History' }).click();
  const rows = page.locator('.history-row');
  await rows.nth(2).waitFor();
  t.equal(await rows.count(), 3);

  const search = page.getByRole('searchbox', { name: 'Search conversations' });
  await search.fill('QUARTERLY');
  await page.waitForURL('**/history?q=QUARTERLY');
  await page.locator('.history-list[aria-label="Conversations matching QUARTERLY"]').waitFor();
  t.equal(await rows.count(), 1, 'only the matching conversation (case-insensitive)');
  t.match(await rows.first().textContent(), /quarterly report/);
  await screenshot(page, 'history-search');

  await search.fill('no such words anywhere');
  await page.getByText('Nothing matches “no such words anywhere”').waitFor();
  await search.fill('');
  await rows.nth(2).waitFor();

  // Export as JSON: a real download with the conversation in it.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export “Numbers for the quarterly report” as JSON' }).click(),
  ]);
  t.match(download.suggestedFilename(), /\.json$/);
  const exported = JSON.parse(fs.readFileSync((await download.path())!, 'utf8'));
  t.match(JSON.stringify(exported), /Numbers for the quarterly report/);
  const [markdown] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export “Numbers for the quarterly report” as Markdown' }).click(),
  ]);
  t.match(markdown.suggestedFilename(), /\.md$/);

  // Rename.
  await page.getByRole('button', { name: 'Rename “Garden ideas”' }).click();
  const dialog = page.getByRole('dialog', { name: 'Rename conversation' });
  await dialog.getByLabel('Title').fill('Vegetable garden');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await page.locator('.history-title', { hasText: 'Vegetable garden' }).waitFor();

  // Delete: cancel first, then confirm.
  await page.getByRole('button', { name: 'Delete “Holiday plans”' }).click();
  const confirm = page.getByRole('dialog', { name: 'Delete this conversation?' });
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await confirm.waitFor({ state: 'hidden' });
  t.equal(await rows.count(), 3, 'cancel keeps it');
  await page.getByRole('button', { name: 'Delete “Holiday plans”' }).click();
  await confirm.getByRole('button', { name: 'Delete' }).click();
  await page.locator('.history-title', { hasText: 'Holiday plans' }).waitFor({ state: 'detached' });
  t.equal(await rows.count(), 2);
  const listed = await page.evaluate(
    async () => (await (await fetch('/api/conversations')).json()) as { conversations: Array<{ title: string }> },
  );
  t.notOk(
    listed.conversations.some((c) => c.title === 'Holiday plans'),
    'deleted on the server',
  );

  // Open: the title leads to the conversation.
  await page.getByRole('link', { name: 'Numbers for the quarterly report' }).first().click();
  await page.waitForURL('**/c/*');
  await page.getByText('Numbers for the quarterly report', { exact: true }).last().waitFor();
  await page.getByRole('link', { name: 'History' }).click();
  await rows.nth(1).waitFor();
  await screenshot(page, 'history-after-delete');
  t.same(log.errors, []);
  t.same(log.cspViolations, []);
});
