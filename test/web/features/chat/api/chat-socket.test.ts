import t, { type Test } from 'tap';
import '../../../web-aliases.js';
import { installFakeClock, type FakeClock } from '../../../fake-clock.js';
import { FakeWebSocket, installFakeWebSocket } from './fake-web-socket.js';

const { ChatSocket, CLOSE_UNAUTHENTICATED } = await import('@/features/chat/api/chat-socket');

type Handlers = ConstructorParameters<typeof ChatSocket>[0];

/** A socket under test with recorded handler calls; the fake clock and WebSocket are undone after the test. */
function setUp(t: Test, onUnauthenticated: Handlers['onUnauthenticated'] = async () => true) {
  const clock: FakeClock = installFakeClock();
  const removeSocket = installFakeWebSocket();
  const random = Math.random;
  // The top of each jittered backoff window: delays become exact.
  Math.random = () => 1;
  t.teardown(() => {
    Math.random = random;
    removeSocket();
    clock.uninstall();
  });
  const calls = { states: [] as string[], frames: [] as unknown[], drops: 0, unauthenticated: 0 };
  const socket = new ChatSocket(
    {
      onFrame: (frame) => calls.frames.push(frame),
      onState: (state) => calls.states.push(state),
      onDrop: () => calls.drops++,
      onUnauthenticated: () => {
        calls.unauthenticated++;
        return onUnauthenticated();
      },
    },
    'ws://portal.test/api/chat/ws',
  );
  return { socket, clock, calls };
}

/** Lets the socket's async close handling (awaiting the refresh) finish. */
const settle = () => new Promise<void>((resolve) => queueMicrotask(resolve)).then(() => Promise.resolve());

const chat = (id: string) => ({ type: 'chat' as const, id, conversationId: 'c1', content: 'hi' });

t.test('frames wait in the outbox until the server says ready', async (t) => {
  const { socket, calls } = setUp(t);
  socket.send(chat('r1'));
  t.equal(FakeWebSocket.sockets.length, 1, 'sending opens the socket');
  t.equal(FakeWebSocket.last().url, 'ws://portal.test/api/chat/ws');
  t.ok(socket.isQueued('r1'));
  t.same(FakeWebSocket.last().sent, [], 'nothing goes out before ready');
  FakeWebSocket.last().accept();
  t.same(FakeWebSocket.last().sent, [chat('r1')]);
  t.notOk(socket.isQueued('r1'));
  t.same(calls.states, ['connecting', 'open']);
  t.match(calls.frames, [{ type: 'ready' }], 'ready reaches the handler');
});

t.test('after a drop it reconnects with growing backoff, reset once ready', async (t) => {
  const { socket, clock, calls } = setUp(t);
  socket.open();
  FakeWebSocket.last().accept();
  FakeWebSocket.last().drop();
  t.equal(calls.drops, 1, 'requests in flight are told the connection is gone');
  t.equal(calls.states.at(-1), 'reconnecting');
  t.same(clock.pending(), [500], 'first retry after at most 500 ms');
  clock.tick(499);
  t.equal(FakeWebSocket.sockets.length, 1, 'not before the delay');
  clock.tick(1);
  t.equal(FakeWebSocket.sockets.length, 2, 'a new socket after the delay');

  // Failing again before ready: the window doubles each time, up to 15 s.
  const delays: number[] = [];
  for (let i = 0; i < 7; i++) {
    FakeWebSocket.last().drop();
    delays.push(clock.pending()[0]!);
    clock.tick(clock.pending()[0]!);
  }
  t.same(delays, [1000, 2000, 4000, 8000, 15_000, 15_000, 15_000]);
  t.equal(calls.drops, 1, 'a socket that never became ready drops no requests');

  FakeWebSocket.last().accept();
  FakeWebSocket.last().drop();
  t.same(clock.pending(), [500], 'a connection that reached ready starts the backoff over');
});

t.test('a server restart (close 1012) is a drop like any other: it reconnects by itself', async (t) => {
  const { socket, clock, calls } = setUp(t);
  socket.open();
  FakeWebSocket.last().accept();
  FakeWebSocket.last().receive({ type: 'error', code: 'server_restarting', message: 'restarting', retryAfterMs: 5000 });
  FakeWebSocket.last().drop(1012);
  t.match(calls.frames.at(-1), { type: 'error', code: 'server_restarting' }, 'the notice reaches the handler');
  t.equal(calls.drops, 1);
  t.equal(calls.unauthenticated, 0, 'no session refresh for a restart');
  clock.tick(clock.pending()[0]!);
  t.equal(FakeWebSocket.sockets.length, 2, 'a new socket after the backoff');
});

t.test('a frame sent during the backoff connects at once, on one socket', async (t) => {
  const { socket, clock } = setUp(t);
  socket.open();
  FakeWebSocket.last().accept();
  FakeWebSocket.last().drop();
  socket.send(chat('r2'));
  t.ok(socket.isQueued('r2'), 'kept for the next connection, not lost with the old one');
  t.equal(FakeWebSocket.sockets.length, 2, 'someone is waiting: connect at once');
  clock.tick(60_000);
  t.equal(FakeWebSocket.sockets.length, 2, 'and the retry that was waiting opens no second socket');
  FakeWebSocket.last().accept();
  t.same(FakeWebSocket.last().sent, [chat('r2')]);
});

t.test('stopping a request still in the outbox removes it', async (t) => {
  const { socket } = setUp(t);
  socket.send(chat('r1'));
  socket.send(chat('r2'));
  t.ok(socket.unqueue((f) => f.type === 'chat' && f.id === 'r1'));
  t.notOk(
    socket.unqueue((f) => f.type === 'chat' && f.id === 'r1'),
    'only once',
  );
  FakeWebSocket.last().accept();
  t.same(FakeWebSocket.last().sent, [chat('r2')]);
});

t.test('a refused session is refreshed and the socket reconnects at once', async (t) => {
  const { socket, clock, calls } = setUp(t);
  socket.open();
  FakeWebSocket.last().accept();
  FakeWebSocket.last().drop(CLOSE_UNAUTHENTICATED);
  await settle();
  t.equal(calls.unauthenticated, 1);
  t.equal(FakeWebSocket.sockets.length, 2, 'no backoff with a fresh session');
  t.same(clock.pending(), []);

  // A server that keeps refusing a session that refreshes fine is not hammered.
  FakeWebSocket.last().drop(CLOSE_UNAUTHENTICATED);
  await settle();
  t.equal(FakeWebSocket.sockets.length, 3, 'a second immediate try');
  FakeWebSocket.last().drop(CLOSE_UNAUTHENTICATED);
  await settle();
  t.equal(calls.unauthenticated, 3);
  t.equal(FakeWebSocket.sockets.length, 3, 'then it waits');
  t.same(clock.pending(), [4000]);
});

t.test('when the session cannot be renewed the socket stays closed', async (t) => {
  const { socket, clock, calls } = setUp(t, async () => false);
  socket.open();
  FakeWebSocket.last().accept();
  FakeWebSocket.last().drop(CLOSE_UNAUTHENTICATED);
  await settle();
  t.equal(calls.states.at(-1), 'idle');
  clock.tick(60_000);
  t.equal(FakeWebSocket.sockets.length, 1, 'no reconnect: signing in again is needed');
});

t.test('reauthenticate sends the token and holds the request until ready', async (t) => {
  const { socket } = setUp(t);
  socket.open();
  const ws = FakeWebSocket.last();
  ws.accept();
  socket.reauthenticate('fresh-token', chat('r1'));
  t.same(ws.sent, [{ type: 'auth', token: 'fresh-token' }]);
  socket.send(chat('r2'));
  t.same(ws.sent.length, 1, 'nothing else races the auth check');
  ws.receive({ type: 'ready', user: { id: 'u1', username: 'ada', role: 'user' } });
  t.same(ws.sent.slice(1), [chat('r1'), chat('r2')]);
});

t.test('an intentional close never reconnects', async (t) => {
  const { socket, clock, calls } = setUp(t);
  socket.open();
  const ws = FakeWebSocket.last();
  ws.accept();
  socket.send(chat('r1'));
  socket.close();
  t.ok(ws.closedByClient);
  t.equal(calls.states.at(-1), 'idle');
  t.equal(calls.drops, 0, 'not a drop: whoever closes ends its own requests');
  t.same(clock.pending(), [], 'no retry and no ping timer left');
  ws.drop();
  socket.retryNow();
  clock.tick(60_000);
  t.equal(FakeWebSocket.sockets.length, 1);

  // Closing while a retry waits cancels the retry.
  socket.open();
  FakeWebSocket.last().accept();
  FakeWebSocket.last().drop();
  t.same(clock.pending(), [500]);
  socket.close();
  clock.tick(60_000);
  t.equal(FakeWebSocket.sockets.length, 2);
});

t.test('a silent connection is given up after a ping goes unanswered', async (t) => {
  const { socket, clock, calls } = setUp(t);
  socket.open();
  const ws = FakeWebSocket.last();
  ws.accept();
  clock.tick(25_000);
  t.same(ws.sent, [{ type: 'ping' }]);
  ws.receive({ type: 'pong' });
  clock.tick(25_000);
  t.equal(calls.drops, 0, 'an answered ping keeps the socket');
  clock.tick(10_000);
  t.equal(calls.drops, 1, 'no pong within 10 s: treated as a drop');
  t.ok(ws.closedByClient);
  clock.tick(500);
  t.equal(FakeWebSocket.sockets.length, 2, 'and reconnects');
});

t.test('retryNow skips the wait when the browser is back online', async (t) => {
  const { socket, clock } = setUp(t);
  socket.open();
  FakeWebSocket.last().drop();
  t.same(clock.pending(), [500]);
  socket.retryNow();
  t.equal(FakeWebSocket.sockets.length, 2);
  t.same(clock.pending(), []);
});
