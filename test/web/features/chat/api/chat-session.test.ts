import t from 'tap';
import '../../../web-aliases.js';
import { installFakeClock } from '../../../fake-clock.js';
import { FakeWebSocket, installFakeWebSocket } from './fake-web-socket.js';

const g = globalThis as Record<string, unknown>;
// The session's socket finds its URL and the `online` event on window.
g.window = {
  location: { protocol: 'http:', host: 'portal.test' },
  addEventListener: () => undefined,
  removeEventListener: () => undefined,
};
t.teardown(() => delete g.window);

const { connectChat } = await import('@/features/chat/api/chat-session');
const { sendMessage } = await import('@/features/chat/api/chat-actions');
const { activeRequests } = await import('@/features/chat/api/active-requests');
const { useChat } = await import('@/features/chat/stores/chat-store');

t.test('answers cut off by a drop are marked interrupted and the conversation re-read', async (t) => {
  const clock = installFakeClock();
  const removeSocket = installFakeWebSocket();
  const reloaded: string[] = [];
  const disconnect = connectChat({
    reload: (id) => reloaded.push(id),
    sessionLost: () => undefined,
    conversationCreated: () => undefined,
    answerFinished: () => undefined,
  });
  t.teardown(() => {
    disconnect();
    removeSocket();
    clock.uninstall();
  });
  useChat.setState({ conversationId: 'c1', items: [] });
  const ws = FakeWebSocket.last();
  t.equal(ws.url, 'ws://portal.test/api/chat/ws');
  ws.accept();
  sendMessage('hello');
  const [requestId] = [...activeRequests.keys()];
  t.match(ws.sent, [{ type: 'chat', id: requestId, conversationId: 'c1', content: 'hello' }]);
  t.equal(useChat.getState().connection, 'open');

  ws.receive({ type: 'token', id: requestId, text: 'Half an ans' });
  ws.drop();
  const answer = useChat.getState().items.find((i) => i.role === 'assistant')!;
  t.match(answer, { content: 'Half an ans', status: 'interrupted', error: { code: 'network' } });
  t.equal(activeRequests.size, 0, 'the request is over: the server lost it with the connection');
  t.equal(useChat.getState().connection, 'reconnecting');

  clock.tick(15_000);
  t.same(reloaded, [], 'not re-read before the socket is back');
  FakeWebSocket.last().accept();
  t.same(reloaded, ['c1'], 'the server’s copy is read once the socket is ready');
  FakeWebSocket.last().drop();
  clock.tick(15_000);
  FakeWebSocket.last().accept();
  t.same(reloaded, ['c1'], 'only once');

  sendMessage('again');
  disconnect();
  clock.tick(0);
  t.equal(activeRequests.size, 0, 'signing out forgets requests in flight');
  t.equal(useChat.getState().connection, 'idle');
  clock.tick(60_000);
  t.equal(FakeWebSocket.sockets.length, 3, 'and nothing reconnects');
});

t.test('an unmount followed at once by a remount keeps the one socket', async (t) => {
  const clock = installFakeClock();
  const removeSocket = installFakeWebSocket();
  const hooks = {
    reload: () => undefined,
    sessionLost: () => undefined,
    conversationCreated: () => undefined,
    answerFinished: () => undefined,
  };
  const before = FakeWebSocket.sockets.length;
  const first = connectChat(hooks);
  FakeWebSocket.last().accept();
  first(); // the layout unmounts…
  const second = connectChat(hooks); // …and mounts again in the same task, as after signing in
  clock.tick(0);
  t.equal(FakeWebSocket.sockets.length, before + 1, 'no second socket');
  t.equal(useChat.getState().connection, 'open', 'the first one stays open');
  second();
  clock.tick(0);
  t.equal(useChat.getState().connection, 'idle', 'a real unmount still closes it');
  removeSocket();
  clock.uninstall();
});
