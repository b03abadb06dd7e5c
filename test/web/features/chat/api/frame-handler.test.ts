import t, { type Test } from 'tap';
import '../../../web-aliases.js';
import { installFakeClock } from '../../../fake-clock.js';

const { flushText, handleFrame } = await import('@/features/chat/api/frame-handler');
const { activeRequests } = await import('@/features/chat/api/active-requests');
const { useChat } = await import('@/features/chat/stores/chat-store');
const { useNotifications } = await import('@/components/ui/notifications/notifications-store');

type Effects = Parameters<typeof handleFrame>[1];
type Frame = Parameters<typeof handleFrame>[0];

/**
 * Two answers on screen in conversation c1: r1 fills a1 (after the user's u1), r2 fills a2.
 * Returns the effects, recording what the handler asked of the app.
 */
function setUp(t: Test, retryResult = false) {
  const clock = installFakeClock();
  t.teardown(() => {
    flushText();
    activeRequests.clear();
    useNotifications.setState({ items: [] });
    clock.uninstall();
  });
  useChat.setState({
    conversationId: 'c1',
    items: [
      { key: 'u1', id: null, role: 'user', content: 'hi', status: 'complete' },
      { key: 'a1', id: null, role: 'assistant', content: '', status: 'waiting', requestId: 'r1' },
      { key: 'a2', id: null, role: 'assistant', content: '', status: 'waiting', requestId: 'r2' },
    ],
  });
  activeRequests.set('r1', {
    frame: { type: 'chat', id: 'r1', conversationId: 'c1', content: 'hi' },
    userKey: 'u1',
    assistantKey: 'a1',
    conversationId: 'c1',
    retried: false,
  });
  activeRequests.set('r2', {
    frame: { type: 'chat', id: 'r2', conversationId: 'c1', regenerate: true },
    userKey: null,
    assistantKey: 'a2',
    conversationId: 'c1',
    retried: false,
  });
  const calls = { retried: [] as string[], created: [] as unknown[], finished: [] as unknown[][] };
  const effects: Effects = {
    retryAfterRefresh: async (id) => {
      calls.retried.push(id);
      return retryResult;
    },
    conversationCreated: (summary) => calls.created.push(summary),
    answerFinished: (...args) => calls.finished.push(args),
  };
  return { clock, calls, handle: (frame: Frame) => handleFrame(frame, effects) };
}

const item = (key: string) => useChat.getState().items.find((i) => i.key === key)!;

const done = (id: string, extra: Partial<Extract<Frame, { type: 'done' }>> = {}): Frame => ({
  type: 'done',
  id,
  assistantMessageId: `m-${id}`,
  finishReason: 'stop',
  cached: false,
  usage: { promptTokens: 12, completionTokens: 3 },
  timings: { queueMs: 1, ttftMs: 20, totalMs: 120, tokensPerSecond: 25 },
  context: { includedMessages: 4, droppedMessages: 2 },
  ...extra,
});

t.test('queued shows the place in line', async (t) => {
  const { handle } = setUp(t);
  handle({ type: 'queued', id: 'r1', position: 3 });
  t.match(item('a1'), { status: 'waiting', queuePosition: 3 });
});

t.test('start names the messages and starts streaming', async (t) => {
  const { handle } = setUp(t);
  handle({ type: 'queued', id: 'r1', position: 1 });
  handle({ type: 'start', id: 'r1', conversationId: 'c1', userMessageId: 'mu', assistantMessageId: 'ma' });
  t.match(item('u1'), { id: 'mu' });
  t.match(item('a1'), { id: 'ma', status: 'streaming', queuePosition: undefined });
});

t.test('tokens are appended in order to the answer of their request, in batches', async (t) => {
  const { clock, handle } = setUp(t);
  for (const text of ['Hel', 'lo', ' world']) handle({ type: 'token', id: 'r1', text });
  handle({ type: 'token', id: 'r2', text: 'Other' });
  handle({ type: 'token', id: 'unknown', text: 'lost' });
  t.equal(item('a1').content, '', 'not rendered per token');
  clock.tick(50);
  t.match(item('a1'), { content: 'Hello world', status: 'streaming' });
  t.equal(item('a2').content, 'Other');
  handle({ type: 'token', id: 'r1', text: '!' });
  clock.tick(50);
  t.equal(item('a1').content, 'Hello world!');
  t.notMatch(JSON.stringify(useChat.getState().items), /lost/, 'a token of no known request is dropped');
});

t.test('a long answer is shown less often', async (t) => {
  const { clock, handle } = setUp(t);
  useChat.getState().updateItem('a1', { content: 'x'.repeat(8001) });
  handle({ type: 'token', id: 'r1', text: 'y' });
  clock.tick(50);
  t.notOk(item('a1').content.endsWith('y'));
  clock.tick(100);
  t.ok(item('a1').content.endsWith('y'));
});

t.test('done shows the text still pending and finalises the answer', async (t) => {
  const { calls, handle } = setUp(t);
  handle({ type: 'token', id: 'r1', text: 'All' });
  handle(done('r1', { cached: true }));
  t.match(item('a1'), {
    content: 'All',
    id: 'm-r1',
    status: 'complete',
    finishReason: 'stop',
    cached: true,
    tokensPerSecond: 25,
    droppedMessages: 2,
    queuePosition: undefined,
  });
  t.notOk(activeRequests.has('r1'), 'the request is over');
  t.same(calls.finished, [['c1', 2, false]], 'a question and its answer were added');

  handle(done('r2', { finishReason: 'abort' }));
  t.match(item('a2'), { status: 'stopped', finishReason: 'abort' });
  t.same(calls.finished[1], ['c1', 0, false], 'a regenerated answer replaces one');
});

t.test('a new conversation is named by start and listed', async (t) => {
  const { calls, handle } = setUp(t);
  useChat.setState({ conversationId: null });
  activeRequests.set('r1', {
    frame: { type: 'chat', id: 'r1', content: '  A new topic  ' },
    userKey: 'u1',
    assistantKey: 'a1',
    conversationId: null,
    retried: false,
  });
  handle({ type: 'start', id: 'r1', conversationId: 'c9', userMessageId: 'mu', assistantMessageId: 'ma' });
  t.match(useChat.getState(), { conversationId: 'c9', startedConversation: 'c9' });
  t.match(calls.created, [{ id: 'c9', title: 'A new topic', messageCount: 1 }]);
  handle(done('r1'));
  t.same(calls.finished, [['c9', 2, true]], 'its title may change after the first answer');
});

t.test('busy says when to try again', async (t) => {
  const { handle } = setUp(t);
  handle({ type: 'token', id: 'r1', text: 'partial' });
  handle({ type: 'error', id: 'r1', code: 'busy', message: 'queue full', retryAfterMs: 2500 });
  t.match(item('a1'), {
    content: 'partial',
    status: 'error',
    error: { code: 'busy', message: /busy.*\(about 3 s\)$/ },
  });
  t.notOk(activeRequests.has('r1'));
});

t.test('a failure after the turn was stored shows the stored conversation, so a retry goes there', async (t) => {
  const { calls, handle } = setUp(t);
  useChat.setState({ conversationId: null });
  activeRequests.set('r1', {
    frame: { type: 'chat', id: 'r1', content: 'A new topic' },
    userKey: 'u1',
    assistantKey: 'a1',
    conversationId: null,
    retried: false,
  });
  handle({
    type: 'error',
    id: 'r1',
    code: 'busy',
    message: 'queue full',
    retryAfterMs: 1000,
    conversationId: 'c9',
    userMessageId: 'mu',
    assistantMessageId: 'ma',
  });
  t.match(useChat.getState(), { conversationId: 'c9' }, 'Regenerate now retries into c9');
  t.match(calls.created, [{ id: 'c9', title: 'A new topic' }], 'the conversation joins the sidebar');
  t.same(calls.finished, [['c9', 2, true]]);
  t.match(item('u1'), { id: 'mu' });
  t.match(item('a1'), { id: 'ma', status: 'error', error: { code: 'busy' } });
});

t.test('rate_limited names the limit and when it resets', async (t) => {
  const { handle } = setUp(t);
  const at = new Date(Date.now() + 90_000);
  const hhmm = `${String(at.getHours()).padStart(2, '0')}:${String(at.getMinutes()).padStart(2, '0')}`;
  handle({ type: 'error', id: 'r1', code: 'rate_limited', message: 'limit', limit: 'requests', retryAfterMs: 90_000 });
  t.match(item('a1'), {
    status: 'error',
    error: { code: 'rate_limited', message: `You've reached your requests per minute limit; it resets at ${hhmm}.` },
  });
  handle({ type: 'error', id: 'r2', code: 'rate_limited', message: 'limit', limit: 'tokens', retryAfterMs: 90_000 });
  t.match(item('a2'), { error: { message: /^You've reached your daily token limit; it resets at \d\d:\d\d\.$/ } });
  t.notOk(activeRequests.has('r1'));
});

t.test('model_unavailable explains itself', async (t) => {
  const { handle } = setUp(t);
  handle({ type: 'error', id: 'r2', code: 'model_unavailable', message: 'no model' });
  t.match(item('a2'), { status: 'error', error: { code: 'model_unavailable', message: /model isn’t loaded/ } });
  t.equal(item('a1').status, 'waiting', 'the other answer goes on');
});

t.test('an error of no request becomes a notification', async (t) => {
  const { handle } = setUp(t);
  handle({ type: 'error', code: 'bad_request', message: 'Unknown frame type.' });
  t.match(useNotifications.getState().items, [{ kind: 'error', message: 'Unknown frame type.' }]);
});

t.test('an expired session is refreshed once and the request re-sent', async (t) => {
  const { calls, handle } = setUp(t, true);
  handle({ type: 'error', id: 'r1', code: 'unauthenticated', message: 'expired' });
  await Promise.resolve();
  t.same(calls.retried, ['r1']);
  t.equal(item('a1').status, 'waiting', 'not failed while retrying');
  t.ok(activeRequests.has('r1'));

  handle({ type: 'error', id: 'r1', code: 'unauthenticated', message: 'expired' });
  t.same(calls.retried, ['r1'], 'only once');
  t.match(item('a1'), { status: 'error', error: { code: 'unauthenticated' } });
});

t.test('when the refresh fails the request fails', async (t) => {
  const { handle } = setUp(t, false);
  handle({ type: 'error', id: 'r1', code: 'unauthenticated', message: 'expired' });
  await new Promise<void>((resolve) => queueMicrotask(resolve));
  await Promise.resolve();
  t.match(item('a1'), { status: 'error', error: { code: 'unauthenticated', message: /session has ended/ } });
  t.notOk(activeRequests.has('r1'));
});

t.test('an answer cut off by a server restart keeps its text, says so and can be regenerated', async (t) => {
  const { handle } = setUp(t);
  handle({ type: 'token', id: 'r1', text: 'half an ans' });
  handle({ type: 'error', id: 'r1', code: 'server_restarting', message: 'restarting', retryAfterMs: 5000 });
  t.match(item('a1'), {
    content: 'half an ans',
    status: 'interrupted',
    error: { code: 'server_restarting', message: /^The server restarted; your answer was cut off/ },
  });
  t.notOk(activeRequests.has('r1'));
});

t.test('the socket’s own restart notice is news, not an error', async (t) => {
  const { handle } = setUp(t);
  handle({ type: 'error', code: 'server_restarting', message: 'restarting', retryAfterMs: 5000 });
  t.match(useNotifications.getState().items, [{ kind: 'info', message: /reconnects by itself/ }]);
  t.equal(item('a1').status, 'waiting', 'answers still running are left to their own frames');
});
