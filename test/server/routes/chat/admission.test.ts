import t from 'tap';
import type { FastifyInstance } from 'fastify';
import { createUser } from '../../../helpers/app.js';
import { startChatApp } from '../../../helpers/chat-app.js';
import type { ChatClient, Frame } from '../../../helpers/ws-client.js';

// One sequence, a short queue: a long answer holds the sequence while others queue behind it.
const fixture = await startChatApp(t, { parallel: 1, maxQueue: 3, maxPerUser: 4, contextSize: 4096, maxTokens: 4000 });
const { app, token: admin, connect } = fixture;
// The engine's own per-user cap is under test here, not the per-user quota in front of it.
await app.limits.setRole('admin', 'user', {
  requestsPerMinute: null,
  tokensPerDay: null,
  concurrent: null,
  maxTokens: null,
});
const LONG = { options: { maxTokens: 4000, noCache: true } };
const SHORT = { options: { maxTokens: 4, noCache: true } };

const countRows = async (app: FastifyInstance, table: 'conversations' | 'messages') =>
  Number(
    (
      await app.db
        .selectFrom(table)
        .select((e) => e.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

const endOf = (client: ChatClient, id: string): Promise<Frame> =>
  client.waitFor((f) => f.id === id && (f.type === 'done' || f.type === 'error'));

t.test('the per-user cap holds across sockets; a busy refused before storing leaves nothing behind', async (t) => {
  const ann = await createUser(app, admin, 'ann');
  const sockets = await Promise.all(Array.from({ length: 9 }, () => connect(ann.token)));
  const [first] = sockets;
  first!.send({ type: 'chat', id: 'hold', content: 'Go on and on', ...LONG });
  await first!.waitFor((f) => f.id === 'hold' && f.type === 'token');

  // 9 sockets × 4 requests: with 1 running, only 3 more of ann's may be held.
  const ids = sockets.flatMap((socket, s) =>
    [0, 1, 2, 3].map((r) => {
      const id = `s${s}r${r}`;
      if (id !== 's0r3') socket.send({ type: 'chat', id, content: `Question ${id}`, ...SHORT });
      return { socket, id };
    }),
  );
  const sent = ids.filter(({ id }) => id !== 's0r3');
  await Promise.all(sent.map(({ socket, id }) => socket.waitFor((f) => f.id === id && f.type !== 'token')));
  const refused = sent.filter(({ socket, id }) => socket.frames.some((f) => f.id === id && f.type === 'error'));
  const errors = refused.map(({ socket, id }) => socket.frames.find((f) => f.id === id && f.type === 'error')!);
  t.equal(refused.length, sent.length - 3, 'all but 3 refused');
  t.ok(
    errors.some((f) => f.code === 'busy' && /per-user limit/.test(f.message as string)),
    'busy, naming the per-user limit',
  );
  // Sent at once, some pass the check before storing and are refused by the engine itself:
  // those name the turn that was stored, so a retry can go there.
  t.ok(
    errors.every((f) => f.code === 'busy'),
    'all refused as busy',
  );
  t.equal(app.engine.stats().queueDepth, 3);

  const [conversations, messages] = [await countRows(app, 'conversations'), await countRows(app, 'messages')];
  const tenth = await connect(ann.token);
  tenth.send({ type: 'chat', id: 'extra', content: 'One more', ...SHORT });
  const extra = await endOf(tenth, 'extra');
  t.match(extra, { type: 'error', code: 'busy', message: /per-user limit/ });
  t.equal(extra.conversationId, undefined, 'refused before storing: no conversation to retry into');
  t.equal(await countRows(app, 'conversations'), conversations, 'no conversation stored');
  t.equal(await countRows(app, 'messages'), messages, 'no message stored');

  // Another user still gets in line.
  const bob = await createUser(app, admin, 'bob');
  const bobSocket = await connect(bob.token);
  bobSocket.send({ type: 'chat', id: 'b1', content: 'My turn?', ...SHORT });
  await bobSocket.waitFor((f) => f.id === 'b1' && f.type === 'queued');
  t.notOk(
    bobSocket.frames.some((f) => f.type === 'error'),
    'the second user was not refused',
  );

  first!.send({ type: 'stop', id: 'hold' });
  await Promise.all([endOf(first!, 'hold'), endOf(bobSocket, 'b1')]);
  const admitted = sent.filter((r) => !refused.includes(r));
  await Promise.all(admitted.map(({ socket, id }) => endOf(socket, id)));
});

t.test('the per-socket cap of 4 still holds', async (t) => {
  const carl = await createUser(app, admin, 'carl');
  const socket = await connect(carl.token);
  for (const id of ['c1', 'c2', 'c3', 'c4', 'c5']) socket.send({ type: 'chat', id, content: id, ...SHORT });
  const fifth = await endOf(socket, 'c5');
  t.match(fifth, { type: 'error', code: 'busy', message: /per connection/ });
  await Promise.all(['c1', 'c2', 'c3', 'c4'].map((id) => endOf(socket, id)));
});

t.test('a busy after storing names the stored turn; regenerating into it adds no duplicate', async (t) => {
  const dora = await createUser(app, admin, 'dora');
  const eve = await createUser(app, admin, 'eve');
  const doraSocket = await connect(dora.token);
  const eveSocket = await connect(eve.token);
  doraSocket.send({ type: 'chat', id: 'hold', content: 'Go on and on', ...LONG });
  await doraSocket.waitFor((f) => f.id === 'hold' && f.type === 'token');
  // dora fills the queue; eve's request then evicts dora's newest, which was already stored.
  for (const id of ['d1', 'd2', 'd3']) {
    doraSocket.send({ type: 'chat', id, content: `Question ${id}`, ...SHORT });
    await doraSocket.waitFor((f) => f.id === id && f.type === 'queued');
  }
  eveSocket.send({ type: 'chat', id: 'e1', content: 'Me too', ...SHORT });
  const evicted = await endOf(doraSocket, 'd3');
  t.match(evicted, { type: 'error', code: 'busy', conversationId: String, assistantMessageId: String });
  const conversationId = evicted.conversationId as string;
  const stored = await app.db
    .selectFrom('messages')
    .selectAll()
    .where('conversation_id', '=', conversationId)
    .execute();
  t.match(stored, [
    { role: 'user', content: 'Question d3' },
    { role: 'assistant', status: 'error', error_code: 'busy' },
  ]);

  doraSocket.send({ type: 'stop', id: 'hold' });
  await Promise.all(['hold', 'd1', 'd2'].map((id) => endOf(doraSocket, id)));
  await endOf(eveSocket, 'e1');
  const conversations = await countRows(app, 'conversations');
  doraSocket.send({ type: 'chat', id: 'retry', conversationId, regenerate: true, ...SHORT });
  t.match(await endOf(doraSocket, 'retry'), { type: 'done' });
  t.equal(await countRows(app, 'conversations'), conversations, 'the retry went into the same conversation');
  const after = await app.db.selectFrom('messages').selectAll().where('conversation_id', '=', conversationId).execute();
  t.match(after, [
    { role: 'user', content: 'Question d3' },
    { role: 'assistant', status: 'complete' },
  ]);
  t.equal(after.length, 2, 'no duplicate message');
});
