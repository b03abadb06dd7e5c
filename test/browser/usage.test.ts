import t from 'tap';
import {
  PASSWORD,
  createAdmin,
  createUser,
  lastFinishedAnswer,
  launchBrowser,
  openTab,
  screenshot,
  sendChat,
  signIn,
  startPortal,
} from './helpers.js';

t.test('a user over budget is told when it resets; the admin raises the limit; the next message goes', async (t) => {
  const portal = await startPortal(t);
  await createAdmin(portal);
  await createUser(portal, 'dana');
  // A budget of one token: the first answer finishes, the one after it is refused.
  const login = await portal.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username: 'admin', password: PASSWORD },
  });
  const headers = { authorization: `Bearer ${login.json<{ accessToken: string }>().accessToken}` };
  const users = await portal.app.inject({ url: '/api/admin/users', headers });
  const dana = users
    .json<{ users: Array<{ id: string; username: string }> }>()
    .users.find((u) => u.username === 'dana')!;
  const set = await portal.app.inject({
    method: 'PUT',
    url: `/api/admin/limits/users/${dana.id}`,
    headers,
    payload: { tokensPerDay: 1 },
  });
  t.equal(set.statusCode, 200);

  const browser = await launchBrowser(t);
  const user = await openTab(browser, portal);
  await signIn(user.page, 'dana');
  await sendChat(user.page, 'Hello');
  t.equal(await (await lastFinishedAnswer(user.page)).getAttribute('data-status'), 'complete', 'the first answer');
  // Its tokens are counted as the answer is announced; wait for that rather than guess.
  while ((await portal.app.quota.tokensToday(dana.id)) === 0) await new Promise((r) => setTimeout(r, 20));
  await sendChat(user.page, 'Once more');
  const refused = await lastFinishedAnswer(user.page);
  t.equal(await refused.getAttribute('data-status'), 'error');
  t.match(
    await refused.textContent(),
    /You've reached your daily token limit; it resets at \d\d:\d\d\./,
    'says which limit and when it resets',
  );
  await screenshot(user.page, 'usage-over-budget');

  await user.page.getByRole('link', { name: 'Usage' }).click();
  await user.page.waitForURL('**/usage');
  await user.page.getByRole('progressbar', { name: 'Tokens today' }).waitFor();
  t.match(
    await user.page.locator('.usage-meter').first().textContent(),
    / \/ 1(?!\d)/,
    'the usage page shows the budget',
  );
  await screenshot(user.page, 'usage-page');

  const admin = await openTab(browser, portal);
  await signIn(admin.page, 'admin');
  await admin.page.goto('/admin');
  const row = admin.page.getByRole('group', { name: 'Limits of dana' });
  await row.getByLabel('Tokens / day value of dana').fill('1000000');
  await row.getByRole('button', { name: 'Save' }).click();
  await admin.page.getByText('Limits of dana saved.').waitFor();
  await screenshot(admin.page, 'admin-limits');

  await user.page.goBack();
  await user.page.waitForURL((url) => !url.pathname.startsWith('/usage'));
  await sendChat(user.page, 'And again');
  const answer = await lastFinishedAnswer(user.page);
  t.equal(await answer.getAttribute('data-status'), 'complete', 'the next message goes through');
  t.same(user.log.errors, []);
  t.same(admin.log.errors, []);
  t.same(user.log.cspViolations, []);
});
