import t from 'tap';
import { bearer } from '../../../helpers/app.js';
import { startChatApp } from '../../../helpers/chat-app.js';
import { ask } from '../../../helpers/ws-client.js';

// Stop strings the tiny random model soon writes, so its answers end with 'stop' and are cached.
const CACHEABLE = { options: { temperature: 0, stop: ['x', 'e'] } };

t.test('a cached answer is stored complete before it is sent: start, the same text, done cached', async (t) => {
  const { app, token, connect } = await startChatApp(t);
  const client = await connect();
  // A question whose answer has text and ends with 'stop' (cut answers are not cached).
  let question = '';
  let text = '';
  for (let attempt = 0; attempt < 10 && text === ''; attempt++) {
    question = `Tell me about the sea (${attempt}).`;
    const first = await ask(client, `miss-${attempt}`, question, CACHEABLE);
    if (first.at(-1)!.finishReason === 'stop')
      text = first
        .filter((f) => f.type === 'token')
        .map((f) => f.text)
        .join('');
  }
  t.not(text, '', 'an answer to repeat');

  for (let round = 0; round < 5; round++) {
    const id = `hit-${round}`;
    const frames = await ask(client, id, question, CACHEABLE);
    const done = frames.at(-1)!;
    t.equal(done.cached, true, `round ${round} came from the cache`);
    t.same(
      frames.map((f) => f.type).filter((type, i, all) => type !== all[i - 1]),
      ['start', 'token', 'done'],
    );
    t.equal(
      frames
        .filter((f) => f.type === 'token')
        .map((f) => f.text)
        .join(''),
      text,
      'the same text as the answer it repeats',
    );

    const conversation = await app.inject({
      url: `/api/conversations/${String(frames[0]!.conversationId)}`,
      headers: bearer(token),
    });
    const answer = conversation.json().messages.at(-1);
    t.match(
      answer,
      { id: done.assistantMessageId, role: 'assistant', status: 'complete', cached: true, content: text },
      'stored complete before the client saw it',
    );
    const { ttftMs, totalMs, tokensPerSecond } = done.timings as {
      ttftMs: number;
      totalMs: number;
      tokensPerSecond: number;
    };
    t.same(answer.timings, { ttftMs, totalMs, tokensPerSecond }, 'stored with the timings the done frame reported');
  }
});

t.test(
  'a message the context cannot hold is refused with context_overflow and kept, with a failed answer',
  async (t) => {
    const { app, token, connect } = await startChatApp(t, { contextSize: 256, maxTokens: 48 });
    const client = await connect();
    const long = 'The sea is wide and deep. '.repeat(60);
    const frames = await ask(client, 'big', long, CACHEABLE);
    t.match(frames.at(-1), { type: 'error', code: 'context_overflow' });
    const list = await app.inject({ url: '/api/conversations', headers: bearer(token) });
    const [conversation] = list.json().conversations;
    const stored = await app.inject({ url: `/api/conversations/${String(conversation.id)}`, headers: bearer(token) });
    t.match(stored.json().messages, [
      { role: 'user', content: long, status: 'complete' },
      { role: 'assistant', content: '', status: 'error', errorCode: 'context_overflow' },
    ]);
  },
);
