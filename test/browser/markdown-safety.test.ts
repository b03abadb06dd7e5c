import { randomUUID } from 'node:crypto';
import t from 'tap';
import { insertConversation } from '../../server/db/repositories/conversations.js';
import { insertMessage } from '../../server/db/repositories/messages.js';
import {
  PASSWORD,
  createAdmin,
  lastFinishedAnswer,
  launchBrowser,
  openTab,
  screenshot,
  sendChat,
  signIn,
  startPortal,
} from './helpers.js';

t.test('HTML and javascript: links in messages and answers stay inert text', async (t) => {
  const portal = await startPortal(t);
  await createAdmin(portal);
  const browser = await launchBrowser(t);
  const { page, log } = await openTab(browser, portal);
  await signIn(page, 'admin');

  const payload = '<img src=x onerror=alert(1)> and [x](javascript:alert(1))';
  await sendChat(page, payload);
  await page.locator('.msg-bubble').getByText(payload, { exact: true }).waitFor();
  await lastFinishedAnswer(page);

  // An answer cannot be steered with a random model: store one as the model might have
  // written it, then open it like any conversation.
  const login = await portal.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username: 'admin', password: PASSWORD },
  });
  const userId = login.json<{ user: { id: string } }>().user.id;
  const conversationId = randomUUID();
  const now = new Date().toISOString();
  await insertConversation(portal.app.db, {
    id: conversationId,
    user_id: userId,
    title: 'Tricky answer',
    system_prompt: '',
    created_at: now,
    updated_at: now,
  });
  const answer = [
    'Here you go: <img src=x onerror=alert(1)>',
    '',
    'A [bad link](javascript:alert(1)), an ![image](javascript:alert(3)) and a [good one](https://example.com/docs).',
    '',
    '<script>alert(2)</script>',
    '',
    '```js',
    'const answer = 42;',
    '```',
  ].join('\n');
  for (const [role, content] of [
    ['user', 'Show me HTML'],
    ['assistant', answer],
  ] as const) {
    await insertMessage(portal.app.db, {
      id: randomUUID(),
      conversation_id: conversationId,
      role,
      content,
      status: 'complete',
      cached: 0,
      prompt_tokens: null,
      completion_tokens: null,
      ttft_ms: null,
      total_ms: null,
      tokens_per_second: null,
      error_code: null,
      created_at: now,
    });
  }
  await page.goto(`/c/${conversationId}`);
  const rendered = page.locator('article.msg-assistant .markdown');
  await rendered.getByText('const answer = 42;').waitFor();

  t.equal(await page.locator('img[src="x"]').count(), 0, 'no <img src=x> element anywhere');
  t.equal(await page.locator('img').count(), 0, 'no image at all was created from text');
  t.equal(await page.locator('script:not([src])').count(), 0, 'no inline script element');
  t.equal(await page.locator('a[href^="javascript:" i]').count(), 0, 'no javascript: link');
  t.ok(
    await rendered.getByText('<img src=x onerror=alert(1)>', { exact: false }).isVisible(),
    'the HTML is shown as text',
  );
  t.equal(
    await rendered.getByRole('link', { name: 'good one' }).getAttribute('href'),
    'https://example.com/docs',
    'a safe link still works',
  );
  t.equal(await rendered.getByRole('link', { name: 'good one' }).getAttribute('rel'), 'noopener noreferrer nofollow');
  t.ok(await rendered.getByText('bad link').isVisible(), 'the unsafe link keeps its text');
  t.ok(await rendered.getByRole('button', { name: 'Copy code' }).isVisible(), 'code blocks have a copy button');
  t.ok((await rendered.locator('code.hljs, code .hljs-keyword').count()) > 0, 'code is highlighted');
  await screenshot(page, 'xss-inert');
  t.same(log.dialogs, [], 'no dialog was ever opened');
  t.same(log.errors, []);
});
