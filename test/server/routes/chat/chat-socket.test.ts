import t from 'tap';
import { bearer, createUser } from '../../../helpers/app.js';
import { startChatApp } from '../../../helpers/chat-app.js';
import { ChatClient, ask, type Frame } from '../../../helpers/ws-client.js';

const textOf = (frames: Frame[]) =>
  frames
    .filter((f) => f.type === 'token')
    .map((f) => f.text)
    .join('');
const SHORT = { maxTokens: 24 };

// One portal for the whole file: loading the model is the slow part of each start.
// One user opens up to 20 sockets here; the per-user cap has its own tests (admission.test.ts).
const fixture = await startChatApp(t, {
  maxTokens: 4000,
  contextSize: 4096,
  maxQueue: 64,
  maxPerUser: 32,
  maxMessageChars: 1000,
});

t.test('a new conversation streams queued/start/token/done in order and both messages are stored', async (t) => {
  const { app, token, connect } = fixture;
  const client = await connect();
  const frames = await ask(client, 'r1', 'Hello there', { options: { ...SHORT, temperature: 0, noCache: true } });
  const types = frames.map((f) => f.type).filter((type) => type !== 'queued');
  t.equal(types[0], 'start');
  t.equal(types.at(-1), 'done');
  t.ok(
    types.slice(1, -1).every((type) => type === 'token'),
    'only tokens between start and done',
  );
  t.ok(types.includes('token'), 'at least one token');
  const start = frames.find((f) => f.type === 'start')!;
  const done = frames.at(-1)!;
  t.equal(done.assistantMessageId, start.assistantMessageId);
  t.equal(done.cached, false);
  t.match(done, {
    usage: { promptTokens: Number, completionTokens: Number },
    timings: { queueMs: Number, ttftMs: Number, totalMs: Number, tokensPerSecond: Number },
    context: { includedMessages: 1, droppedMessages: 0 },
  });
  t.ok(['stop', 'length'].includes(done.finishReason as string));

  const stored = await app.inject({ url: `/api/conversations/${start.conversationId}`, headers: bearer(token) });
  const { conversation, messages } = stored.json();
  t.equal(conversation.title, 'Hello there', 'title derived from the first message');
  t.equal(messages.length, 2);
  t.match(messages[0], { id: start.userMessageId, role: 'user', content: 'Hello there', status: 'complete' });
  t.match(messages[1], {
    id: start.assistantMessageId,
    role: 'assistant',
    content: textOf(frames),
    status: 'complete',
    usage: {
      promptTokens: (done.usage as { promptTokens: number }).promptTokens,
      completionTokens: (done.usage as { completionTokens: number }).completionTokens,
    },
  });
  t.equal(messages[1].timings.ttftMs, (done.timings as { ttftMs: number }).ttftMs);
  t.equal(
    messages[1].finishReason,
    done.finishReason === 'length' ? 'length' : undefined,
    'an answer cut at its token budget says so when read back',
  );
});

t.test('an answer cut at maxTokens is stored with finishReason length', async (t) => {
  const { app, token, connect } = fixture;
  const client = await connect();
  const frames = await ask(client, 'len', 'Tell a long story', {
    options: { maxTokens: 3, temperature: 1, noCache: true, stop: ['\u0000never\u0000'] },
  });
  const done = frames.at(-1)!;
  t.equal(done.finishReason, 'length');
  const start = frames.find((f) => f.type === 'start')!;
  const { messages } = (
    await app.inject({ url: `/api/conversations/${start.conversationId}`, headers: bearer(token) })
  ).json();
  t.match(messages[1], { status: 'complete', finishReason: 'length' });
});

t.test('a follow-up sends the whole history, and regenerate replaces the last answer', async (t) => {
  const { app, token, connect } = fixture;
  const client = await connect();
  const first = await ask(client, 'a', 'First question', { options: { ...SHORT, temperature: 0 } });
  const conversationId = first.find((f) => f.type === 'start')!.conversationId as string;
  const second = await ask(client, 'b', 'Second question', { conversationId, options: SHORT });
  t.match(second.at(-1), { type: 'done', context: { includedMessages: 3, droppedMessages: 0 } });
  const oldAnswer = second.find((f) => f.type === 'start')!.assistantMessageId;

  client.send({ type: 'chat', id: 'c', conversationId, regenerate: true, options: SHORT });
  const regen = await client.finished('c');
  const start = regen.find((f) => f.type === 'start')!;
  t.not(start.assistantMessageId, oldAnswer);
  t.match(regen.at(-1), { type: 'done', context: { includedMessages: 3 } });
  const { messages } = (
    await app.inject({ url: `/api/conversations/${conversationId}`, headers: bearer(token) })
  ).json();
  t.same(
    messages.map((m: { role: string }) => m.role),
    ['user', 'assistant', 'user', 'assistant'],
  );
  t.equal(messages[3].id, start.assistantMessageId, 'the old answer was replaced');
  t.notOk(messages.some((m: { id: string }) => m.id === oldAnswer));
});

t.test('stop ends the answer and keeps what was streamed as a stopped message', async (t) => {
  const { app, token, connect } = fixture;
  const client = await connect();
  client.send({ type: 'chat', id: 's1', content: 'Tell me a long story', options: { maxTokens: 4000, noCache: true } });
  await client.waitFor((f) => f.id === 's1' && f.type === 'token');
  client.send({ type: 'stop', id: 's1' });
  const frames = await client.finished('s1');
  const done = frames.at(-1)!;
  t.equal(done.type, 'done');
  t.equal(done.finishReason, 'abort');
  const conversationId = frames.find((f) => f.type === 'start')!.conversationId;
  const { messages } = (
    await app.inject({ url: `/api/conversations/${conversationId}`, headers: bearer(token) })
  ).json();
  t.equal(messages[1].status, 'stopped');
  t.equal(messages[1].content, textOf(frames), 'the stored text is exactly what was streamed');
});

t.test("another user's conversation is not_found on the socket", async (t) => {
  const { app, token, url, connect } = fixture;
  const owner = await connect();
  const frames = await ask(owner, 'o', 'Mine', { options: SHORT });
  const conversationId = frames.find((f) => f.type === 'start')!.conversationId;
  const other = await createUser(app, token, 'mallory');
  const intruder = await ChatClient.connect(url, { token: other.token });
  t.teardown(() => intruder.close());
  for (const frame of [{ content: 'Let me in' }, { regenerate: true }]) {
    intruder.send({ type: 'chat', id: 'x', conversationId, ...frame });
    const [error] = await intruder.finished('x');
    t.match(error, { type: 'error', id: 'x', code: 'not_found' });
    intruder.frames.length = 0;
  }
  const { messages } = (
    await app.inject({ url: `/api/conversations/${conversationId}`, headers: bearer(token) })
  ).json();
  t.equal(messages.length, 2, 'nothing was added to the owner conversation');
});

t.test('bad frames get error frames and the socket stays open', async (t) => {
  const { connect } = fixture;
  const client = await connect();
  const cases: Array<[string | object, RegExp]> = [
    ['{not json', /not valid JSON/],
    ['[1,2]', /JSON object/],
    [{ type: 'dance', id: 'd' }, /Unknown frame type/],
    [{ type: 'chat', id: 'e1' }, /content/],
    [{ type: 'chat', id: 'e2', content: 'x'.repeat(1001) }, /too long.*1000/],
    [{ type: 'chat', id: 'e3', content: 'hi', options: { temperature: 'hot' } }, /temperature/],
    [{ type: 'chat', id: 'e4', content: 'hi', sneaky: true }, /Unknown field "sneaky"/],
    [{ type: 'chat', id: 'e5', regenerate: true }, /conversationId/],
    [{ type: 'chat', id: 'e6', content: 'hi', conversationId: 'no-such-id' }, /not found/],
  ];
  for (const [frame, message] of cases) {
    client.frames.length = 0;
    client.send(frame);
    const error = await client.waitFor((f) => f.type === 'error');
    t.equal(
      error.code,
      message.source === 'not found' ? 'not_found' : 'bad_request',
      JSON.stringify(frame).slice(0, 40),
    );
    t.match(error.message, message);
  }
  client.send({ type: 'ping' });
  t.ok(await client.waitFor((f) => f.type === 'pong'), 'still open and answering');
  t.equal(client.closed, null);
});

t.test('unauthenticated sockets are closed; a cross-site Origin is refused at the upgrade', async (t) => {
  const { url, app } = fixture;
  const anon = await ChatClient.connect(url);
  anon.send({ type: 'chat', id: 'a', content: 'hi' });
  t.match(await anon.waitFor((f) => f.type === 'error'), { code: 'unauthenticated' });
  t.equal((await anon.waitClosed()).code, 4401);

  const badToken = await ChatClient.connect(url);
  badToken.send({ type: 'auth', token: 'not-a-token' });
  t.equal((await badToken.waitClosed()).code, 4401);

  await t.rejects(ChatClient.connect(url, { origin: 'https://evil.example' }), /403/);

  const login = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username: 'admin', password: 'correct horse battery' },
    headers: { origin: 'http://x' },
  });
  const cookie = String(
    ([] as string[]).concat(login.headers['set-cookie'] ?? []).find((c) => c.startsWith('access_token=')),
  ).split(';')[0]!;
  const host = new URL(url).host;
  const browser = await ChatClient.connect(url, { cookie, origin: `http://${host}` });
  t.teardown(() => browser.close());
  t.match(
    await browser.waitFor((f) => f.type === 'ready'),
    { user: { username: 'admin' } },
    'cookie auth with the portal Origin',
  );
});

t.test('a socket that never authenticates is closed after 5 seconds', async (t) => {
  const { url } = fixture;
  const silent = await ChatClient.connect(url);
  const closed = await silent.waitClosed(8000);
  t.equal(closed.code, 4401);
  t.match(silent.frames[0], { type: 'error', code: 'unauthenticated' });
});

t.test('an expired token on a long-lived socket is reported, and a fresh auth frame continues', async (t) => {
  const { app, connect } = fixture;
  const me = (
    await app.inject({
      url: '/api/auth/me',
      headers: bearer(
        (
          await app.inject({
            method: 'POST',
            url: '/api/auth/login',
            payload: { username: 'admin', password: 'correct horse battery' },
          })
        ).json().accessToken,
      ),
    })
  ).json().user;
  // exp counts whole seconds: 2 s from now is at least 1 s of validity, enough to connect.
  const shortLived = app.jwt.sign({ sub: me.id, role: me.role, username: me.username }, { expiresIn: 2 });
  const client = await connect(shortLived);
  const { exp } = app.jwt.decode<{ exp: number }>(shortLived)!;
  await new Promise((r) => setTimeout(r, exp * 1000 - Date.now() + 50));
  client.send({ type: 'chat', id: 'late', content: 'still there?' });
  t.match(await client.waitFor((f) => f.id === 'late'), { type: 'error', code: 'unauthenticated' });
  t.equal(client.closed, null, 'the socket stays open for a fresh token');
  client.send({ type: 'auth', token: app.signAccessToken(me) });
  await client.waitFor((f) => f.type === 'ready' && client.frames.filter((x) => x.type === 'ready').length === 2);
  const frames = await ask(client, 'again', 'still there?', { options: SHORT });
  t.equal(frames.at(-1)!.type, 'done');
});

t.test('20 concurrent sockets all get complete answers', async (t) => {
  const { connect } = fixture;
  const clients = await Promise.all(Array.from({ length: 20 }, () => connect()));
  const results = await Promise.all(
    clients.map((c, i) => ask(c, `q${i}`, `Question number ${i}`, { options: { maxTokens: 16, noCache: true } })),
  );
  t.equal(results.filter((frames) => frames.at(-1)!.type === 'done').length, 20);
  t.ok(
    results.some((frames) => frames.some((f) => f.type === 'queued')),
    'with PARALLEL=2 some waited in the queue',
  );
});
