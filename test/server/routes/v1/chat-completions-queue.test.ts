import t from 'tap';
import OpenAI from 'openai';
import { ChatClient } from '../../../helpers/ws-client.js';
import { listenWithModel, TINY_MODEL_ID } from '../../../helpers/openai-app.js';

const ask = (content: string, max_tokens: number) => ({
  model: TINY_MODEL_ID,
  messages: [{ role: 'user' as const, content }],
  max_tokens,
  temperature: 1,
});

const waitFor = async (check: () => boolean, timeoutMs = 60_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

/** Streams one request, noting in `order` when its answer began; resolves with its text. */
async function streamed(
  openai: OpenAI,
  name: string,
  body: ReturnType<typeof ask>,
  order: string[],
  signal?: AbortSignal,
) {
  const stream = await openai.chat.completions.create({ ...body, stream: true }, { signal });
  let text = '';
  for await (const chunk of stream) {
    if (chunk.choices[0]?.delta.role === 'assistant') order.push(name);
    text += chunk.choices[0]?.delta.content ?? '';
  }
  return text;
}

t.test('with one sequence', async (t) => {
  const { app, url, client } = await listenWithModel(t, {
    parallel: 1,
    maxQueue: 8,
    contextSize: 2048,
    maxTokens: 1500,
  });
  const api = await client('api-user');
  const chat = await client('chat-user');

  t.test('a client that aborts frees the slot for the next request at once', async (t) => {
    const order: string[] = [];
    const finished: string[] = [];
    const unsubscribe = app.answers.onAnswer((done, { route }) => finished.push(`${route}:${done.finishReason}`));
    t.teardown(unsubscribe);
    const leaving = new AbortController();
    const first = streamed(api.openai, 'first', ask('Go on and on', 1500), order, leaving.signal);
    await waitFor(() => order.includes('first'));

    // A raw streamed request waits behind it and says so in SSE comments.
    const res = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${chat.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ...ask('Short one', 3), stream: true }),
    });
    t.equal(res.headers.get('content-type'), 'text/event-stream; charset=utf-8');
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let raw = '';
    while (!raw.includes('\n\n')) raw += decoder.decode((await reader.read()).value, { stream: true });
    t.match(raw, /^: queued position=1( eta_ms=\d+)?\n\n/, 'a queued comment line while it waits');

    const abortedAt = Date.now();
    leaving.abort();
    await first; // the openai client ends an aborted stream quietly
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      raw += decoder.decode(value, { stream: true });
    }
    t.ok(Date.now() - abortedAt < 15_000, 'the waiting request ran as soon as the slot was free');
    t.match(raw, /data: \[DONE\]\n\n$/);
    const events = raw.split('\n\n').filter((line) => line.startsWith('data: {'));
    t.ok(events.length >= 2, 'the waiting request streamed its answer');
    t.equal(finished[0], 'api:abort', 'the first generation was aborted');
    t.match(finished.slice(1), [/^api:(stop|length)$/], 'then the waiting one ran to its end');
    await waitFor(() => app.engine.stats().activeSequences === 0);
  });

  t.test('an API user flooding the queue does not starve a chat user', async (t) => {
    const order: string[] = [];
    const blocker = new AbortController();
    const running = streamed(api.openai, 'api1', ask('Go on and on', 1500), order, blocker.signal).catch(() => '');
    await waitFor(() => order.includes('api1'));
    const flood = ['api2', 'api3', 'api4'].map((name) => streamed(api.openai, name, ask(name, 2), order));
    await waitFor(() => app.engine.stats().queueDepth === 3);

    const socket = await ChatClient.connect(`${url.replace('http', 'ws')}/api/chat/ws`, { token: chat.token });
    t.teardown(() => socket.socket.close());
    socket.send({ type: 'chat', id: 'c1', content: 'My turn?', options: { maxTokens: 2 } });
    await socket.waitFor((f) => f.type === 'queued');
    const chatStarted = socket.waitFor((f) => f.type === 'start').then(() => order.push('chat'));

    blocker.abort();
    await Promise.all([running, ...flood, chatStarted, socket.waitFor((f) => f.type === 'done')]);
    t.ok(order.indexOf('chat') < order.indexOf('api3'), `the chat answer started before api3 (${order.join(', ')})`);
    t.ok(order.indexOf('chat') < order.indexOf('api4'), 'and before api4');

    const metrics = app.metrics.routes.snapshot();
    t.ok(metrics.socket.requests >= 1, 'the chat answer counts for the socket');
    t.ok(metrics.api.requests >= 4, 'the API answers count for the API');
  });
});
