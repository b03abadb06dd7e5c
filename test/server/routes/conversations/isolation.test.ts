import t from 'tap';
import { bearer, buildTestApp, createUser, setupAdmin } from '../../../helpers/app.js';

const URL = '/api/conversations';

t.test("another user's conversation is a 404 everywhere and never listed", async (t) => {
  const app = await buildTestApp(t);
  const admin = await setupAdmin(app);
  const alice = await createUser(app, admin, 'alice');
  const bob = await createUser(app, admin, 'bob');
  const secret = (
    await app.inject({
      method: 'POST',
      url: URL,
      headers: bearer(alice.token),
      payload: { title: 'Alice secret plans' },
    })
  ).json().conversation;
  await app.inject({ method: 'POST', url: URL, headers: bearer(bob.token), payload: { title: 'Bob notes' } });

  const attempts = [
    { method: 'GET', url: `${URL}/${secret.id}` },
    { method: 'PATCH', url: `${URL}/${secret.id}`, payload: { title: 'pwned' } },
    { method: 'DELETE', url: `${URL}/${secret.id}` },
    { method: 'GET', url: `${URL}/${secret.id}/export` },
    { method: 'GET', url: `${URL}/${secret.id}/export?format=markdown` },
  ] as const;
  for (const attempt of attempts) {
    for (const token of [bob.token, admin]) {
      const res = await app.inject({ ...attempt, headers: bearer(token) });
      t.equal(res.statusCode, 404, `${attempt.method} ${attempt.url}`);
      t.same(
        res.json(),
        { error: { code: 'not_found', message: 'Conversation not found.' } },
        'the same answer as a missing id',
      );
    }
  }
  const missing = await app.inject({ url: `${URL}/no-such-id`, headers: bearer(bob.token) });
  t.same(missing.json(), { error: { code: 'not_found', message: 'Conversation not found.' } });

  for (const [token, q] of [
    [bob.token, ''],
    [bob.token, '?q=secret'],
    [admin, ''],
    [admin, '?q=alice'],
  ] as const) {
    const titles = (await app.inject({ url: `${URL}${q}`, headers: bearer(token) }))
      .json()
      .conversations.map((c: { title: string }) => c.title);
    t.notOk(titles.includes('Alice secret plans'), `not in another user's list ${q}`);
  }
  t.same(
    (await app.inject({ url: URL, headers: bearer(bob.token) }))
      .json()
      .conversations.map((c: { title: string }) => c.title),
    ['Bob notes'],
  );

  const own = await app.inject({ url: `${URL}/${secret.id}`, headers: bearer(alice.token) });
  t.same(own.json().conversation, secret, 'the owner still has it, unchanged');
});
