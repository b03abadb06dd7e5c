import t from 'tap';
import { bearer, createUser } from '../../../helpers/app.js';
import { startChatApp } from '../../../helpers/chat-app.js';
import { ask, type Frame } from '../../../helpers/ws-client.js';

// Stop strings the tiny random model soon writes, so answers end with 'stop' and are cached.
const CACHEABLE = { options: { temperature: 0, stop: ['x', 'e'] } };

t.test('each limit refuses on the socket with a rate_limited frame, before anything is stored', async (t) => {
  const { app, token: admin, connect } = await startChatApp(t);
  const ann = await createUser(app, admin, 'ann');
  const bob = await createUser(app, admin, 'bob');
  const setLimits = (payload: object) =>
    app.inject({ method: 'PUT', url: `/api/admin/limits/users/${ann.id}`, headers: bearer(admin), payload });
  const conversations = async () =>
    (await app.inject({ url: '/api/conversations', headers: bearer(ann.token) })).json().conversations.length;
  const client = await connect(ann.token);

  await setLimits({ requestsPerMinute: 2 });
  t.equal((await ask(client, 'r1', 'One.')).at(-1)!.type, 'done');
  t.equal((await ask(client, 'r2', 'Two.')).at(-1)!.type, 'done');
  const refused = await ask(client, 'r3', 'Three.');
  t.same(
    refused.map((f) => f.type),
    ['error'],
    'no start: nothing queued or stored',
  );
  t.equal(refused[0]!.code, 'rate_limited');
  t.equal(refused[0]!.limit, 'requests');
  t.ok((refused[0]!.retryAfterMs as number) > 0 && (refused[0]!.retryAfterMs as number) <= 60_000);
  t.equal(await conversations(), 2, 'the refused message was not stored');
  const other = await connect(bob.token);
  t.equal((await ask(other, 'b1', 'Hi.')).at(-1)!.type, 'done', 'another user is unaffected');

  await setLimits({ requestsPerMinute: null, concurrent: 1 });
  client.send({ type: 'chat', id: 'c1', content: 'A long one.' });
  client.send({ type: 'chat', id: 'c2', content: 'At once.' });
  const [first, second] = await Promise.all([client.finished('c1'), client.finished('c2')]);
  t.equal(first.at(-1)!.type, 'done');
  t.same(
    second.map((f) => [f.type, f.limit]),
    [['error', 'concurrent']],
    'a queued or running answer holds the slot',
  );
  t.equal((await ask(client, 'c3', 'After.')).at(-1)!.type, 'done', 'the slot is free once the answer ended');

  const spent = (await app.inject({ url: '/api/usage', headers: bearer(ann.token) })).json().tokensToday as number;
  t.ok(spent > 0, 'the answers so far counted against the budget');
  await setLimits({ requestsPerMinute: null, tokensPerDay: spent + 1 });
  const running = await ask(client, 't1', 'Spend it.');
  t.equal(running.at(-1)!.type, 'done', 'the answer that crosses the budget finishes');
  const overBudget = await ask(client, 't2', 'More.');
  t.same(
    overBudget.map((f) => [f.type, f.code, f.limit]),
    [['error', 'rate_limited', 'tokens']],
  );
  await setLimits({ maxTokens: 3 });
  const short = await ask(client, 'm1', 'Say a lot.', { options: { maxTokens: 40 } });
  t.ok((short.at(-1)!.usage as { completionTokens: number }).completionTokens <= 3, 'clamped to the ceiling');
});

t.test('usage rows match the done frames of model answers, a cache hit and a stopped answer', async (t) => {
  const { app, token: admin, connect } = await startChatApp(t);
  const ann = await createUser(app, admin, 'ann');
  const client = await connect(ann.token);
  const dones: Frame[] = [];
  let question = '';
  for (let attempt = 0; attempt < 10 && !question; attempt++) {
    const done = (await ask(client, `miss-${attempt}`, `The sea (${attempt}).`, CACHEABLE)).at(-1)!;
    dones.push(done);
    if (done.finishReason === 'stop') question = `The sea (${attempt}).`;
  }
  const hit = (await ask(client, 'hit', question, CACHEABLE)).at(-1)!;
  t.equal(hit.cached, true, 'a cache hit');
  dones.push(hit);
  client.send({ type: 'chat', id: 'stopped', content: 'Write a long story.', options: { maxTokens: 48 } });
  await client.waitFor((f) => f.id === 'stopped' && f.type === 'token');
  client.send({ type: 'stop', id: 'stopped' });
  const stopped = (await client.finished('stopped')).at(-1)!;
  t.equal(stopped.finishReason, 'abort');
  dones.push(stopped);

  type Usage = { promptTokens: number; completionTokens: number; cachedPromptTokens?: number };
  const model = dones.filter((d) => !d.cached).map((d) => d.usage as Usage);
  const expected = {
    requests: dones.length,
    cacheHits: 1,
    promptTokens: model.reduce((n, u) => n + u.promptTokens - (u.cachedPromptTokens ?? 0), 0),
    cachedPromptTokens: model.reduce((n, u) => n + (u.cachedPromptTokens ?? 0), 0),
    completionTokens: model.reduce((n, u) => n + u.completionTokens, 0),
  };
  // The day row is written just after the done frame: wait for the last one to land.
  let today: Record<string, number> = {};
  for (let i = 0; i < 50 && today.requests !== expected.requests; i++) {
    today = (await app.inject({ url: '/api/usage', headers: bearer(ann.token) })).json().today;
    await new Promise((r) => setTimeout(r, 20));
  }
  const { day: _day, generationMs, ...figures } = today;
  t.same(figures, expected);
  t.ok(generationMs! > 0);
  const usage = (await app.inject({ url: '/api/usage', headers: bearer(ann.token) })).json();
  t.equal(usage.tokensToday, expected.promptTokens + expected.completionTokens, 'the budget counts the same tokens');
  t.equal(usage.days.length, 30);
  const all = (await app.inject({ url: '/api/admin/usage', headers: bearer(admin) })).json();
  const row = all.users.find((u: { username: string }) => u.username === 'ann');
  t.equal(row.today.requests, expected.requests);
  t.equal(row.cacheHitRate, 1 / expected.requests);
});
