import type { Duplex } from 'node:stream';
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

t.test('the chat reconnects after the connection drops, refreshing an expired session on the way', async (t) => {
  const portal = await startPortal(t);
  await createAdmin(portal);
  // The raw TCP socket of every chat socket upgrade: destroying one is a network drop.
  const upgrades: Duplex[] = [];
  const nextUpgrade = (count: number) =>
    new Promise<void>((resolve) => {
      const check = () => (upgrades.length >= count ? resolve() : setTimeout(check, 50));
      check();
    });
  portal.app.server.on('upgrade', (_request, socket: Duplex) => upgrades.push(socket));
  const browser = await launchBrowser(t);
  const { page, context, log } = await openTab(browser, portal);
  await signIn(page, 'admin');
  await page.locator('.conn-open').waitFor();
  t.equal(upgrades.length, 1, 'one socket');

  upgrades[0]!.destroy();
  await nextUpgrade(2);
  await page.locator('.conn-open').waitFor();
  await sendChat(page, 'Still there?');
  t.equal(
    await (await lastFinishedAnswer(page)).getAttribute('data-status'),
    'complete',
    'chat works on the new socket',
  );

  // The access token "expired" while the connection was down: the server refuses the
  // cookie-less socket (4401), the app refreshes the session and connects again.
  await context.clearCookies({ name: 'access_token' });
  upgrades[1]!.destroy();
  await nextUpgrade(4);
  await page.locator('.conn-open').waitFor();
  t.ok(
    (await context.cookies()).some((c) => c.name === 'access_token'),
    'the session was refreshed',
  );
  t.equal(new URL(page.url()).pathname.startsWith('/c/'), true, 'still in the conversation, not sent to /login');
  await sendChat(page, 'And now?');
  await page.locator('article.msg-assistant[data-status="complete"]').nth(1).waitFor();
  await screenshot(page, 'chat-reconnected');
  t.same(log.errors, []);
});
