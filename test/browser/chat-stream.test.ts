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

/**
 * Records, inside the page, every text the newest answer showed while it was streaming, so
 * the test can tell "appeared token by token" from "appeared all at once".
 */
// A string: this runs in the page, and the test files are compiled without DOM types.
const WATCH_STREAMING = `(() => {
  const seen = [];
  window.__streamed = seen;
  new MutationObserver(() => {
    const answer = [...document.querySelectorAll('article.msg-assistant')].at(-1);
    if (answer?.getAttribute('data-status') === 'streaming') seen.push(answer.querySelector('.msg-content')?.textContent ?? '');
  }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
})()`;

t.test('a chat streams token by token, shows its figures, and survives a reload', async (t) => {
  // Long enough (~1000 tokens) that the answer spans many render batches even on a fast machine.
  const portal = await startPortal(t, { maxTokens: 1000, contextSize: 2048 });
  await createAdmin(portal);
  const browser = await launchBrowser(t);
  const { page, log } = await openTab(browser, portal);
  await signIn(page, 'admin');

  await page.evaluate(WATCH_STREAMING);
  const composer = page.getByRole('textbox', { name: 'Message' });
  await sendChat(page, 'Hello from the browser');
  t.equal(await composer.inputValue(), '', 'the input clears the moment the message is sent');
  await page.locator('.msg-bubble', { hasText: 'Hello from the browser' }).waitFor();

  const answer = await lastFinishedAnswer(page);
  t.equal(await answer.getAttribute('data-status'), 'complete');
  const finalText = (await answer.locator('.msg-content').textContent()) ?? '';
  t.ok(finalText.length > 0, 'the answer has text');
  const streamed = (await page.evaluate('window.__streamed')) as string[];
  t.ok(
    streamed.some((text) => text.length > 0 && text.length < finalText.length),
    'part of the answer was on screen before the rest had arrived',
  );
  t.ok(
    await answer
      .getByText(/tok\/s|cached/)
      .first()
      .isVisible(),
    'speed (or the cached badge) is shown under the answer',
  );

  await page.waitForURL('**/c/*');
  const conversationUrl = page.url();
  t.ok(
    await page
      .getByRole('navigation', { name: 'Recent conversations' })
      .getByText('Hello from the browser')
      .isVisible(),
    'listed in the sidebar',
  );
  await screenshot(page, 'chat-streamed');

  await page.reload();
  const reloaded = await lastFinishedAnswer(page);
  t.equal(page.url(), conversationUrl, 'the conversation keeps its URL');
  await page.locator('.msg-bubble', { hasText: 'Hello from the browser' }).waitFor();
  t.equal(await reloaded.locator('.msg-content').textContent(), finalText, 'the same answer after the reload');

  // Regenerate replaces the last answer instead of adding one.
  await reloaded.getByRole('button', { name: 'Regenerate answer' }).click();
  await page.locator('article.msg-assistant[data-status="complete"]').waitFor();
  t.equal(await page.locator('article.msg-assistant').count(), 1, 'one answer after regenerating');
  await screenshot(page, 'chat-after-reload');
  t.same(log.errors, []);
  t.same(log.cspViolations, [], 'the SPA runs under the CSP');
});

t.test('Stop ends a long answer and keeps it as stopped', async (t) => {
  const portal = await startPortal(t, { maxTokens: 4000, contextSize: 4096 });
  await createAdmin(portal);
  const browser = await launchBrowser(t);
  const { page, log } = await openTab(browser, portal);
  await signIn(page, 'admin');

  await sendChat(page, 'Tell me a very long story');
  const answer = page.locator('article.msg-assistant').last();
  await answer.locator('.msg-content').waitFor();
  await page.getByRole('button', { name: 'Stop generating' }).click();
  await answer.and(page.locator('[data-status="stopped"]')).waitFor();
  t.ok(await answer.getByText('stopped', { exact: true }).isVisible(), 'a stopped badge');
  t.ok(await page.getByRole('button', { name: 'Send message' }).isVisible(), 'Send is back');
  await screenshot(page, 'chat-stopped');

  await page.reload();
  await page.locator('article.msg-assistant[data-status="stopped"]').waitFor();
  t.pass('the server kept the answer as stopped');
  t.same(log.errors, []);
});
