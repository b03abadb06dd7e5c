import t from 'tap';
import { APIError } from 'openai';
import type OpenAI from 'openai';
import { listenWithModel, TINY_MODEL_ID } from '../../../helpers/openai-app.js';

// An answer that only its token budget ends (the stop string never appears).
const long = (max_tokens: number) => ({
  model: TINY_MODEL_ID,
  messages: [{ role: 'user' as const, content: 'Write on and on' }],
  max_tokens,
  temperature: 1,
  stop: ['\u0000never\u0000'],
});

const waitFor = async (check: () => boolean, timeoutMs = 60_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

/** Streams one answer; `began` flips at its first chunk. Resolves with its text and finish reason. */
function stream(openai: OpenAI, max_tokens: number) {
  const state = { began: false };
  const result = (async () => {
    const chunks = await openai.chat.completions.create({ ...long(max_tokens), stream: true });
    let text = '';
    let finish: string | null = null;
    for await (const chunk of chunks) {
      state.began = true;
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    return { text, finish };
  })();
  return { state, result };
}

const restarting = { status: 503, code: 'server_restarting' };

t.test('a short grace cuts the running stream and the queued request, each told to come back', async (t) => {
  const { app, client } = await listenWithModel(t, { parallel: 1, maxQueue: 8, contextSize: 2048, maxTokens: 1500 });
  const { openai } = await client('api-user');
  const running = stream(openai, 1500);
  await waitFor(() => running.state.began);
  const queued = openai.chat.completions.create(long(20));
  // Settled early so an early rejection is not unhandled; checked below.
  const queuedOutcome = queued.then(
    () => null,
    (error: unknown) => error,
  );
  await waitFor(() => app.engine.stats().queueDepth === 1);

  const drained = app.drain.drain(200);
  const queuedError = await queuedOutcome;
  t.type(queuedError, APIError, 'the queued request fails');
  t.match(queuedError, restarting, 'with 503 server_restarting');
  t.equal((queuedError as APIError).headers?.get('retry-after'), '5', 'and Retry-After: 5');

  const cut = await running.result.then(
    () => null,
    (error: unknown) => error,
  );
  t.type(cut, APIError, 'the running stream ends in an error event, not a normal finish');
  t.match(cut, { code: 'server_restarting' });
  await drained;

  const late = await openai.chat.completions.create(long(5)).catch((error: unknown) => error);
  t.match(late, restarting, 'a new request while draining is refused');
  t.equal((late as APIError).headers?.get('retry-after'), '5');
});

t.test('a long grace lets the running stream finish; new requests are refused meanwhile', async (t) => {
  const { app, client } = await listenWithModel(t, { parallel: 1, maxQueue: 8, contextSize: 2048 });
  const { openai } = await client('api-user');
  const running = stream(openai, 200);
  await waitFor(() => running.state.began);

  let drainedAt = 0;
  const drained = app.drain.drain(120_000).then(() => (drainedAt = Date.now()));
  const late = await openai.chat.completions.create(long(5)).catch((error: unknown) => error);
  t.match(late, restarting, 'refused while the running answer finishes');

  const { text, finish } = await running.result;
  const finishedAt = Date.now();
  t.equal(finish, 'length', 'the running answer ran to its token budget');
  t.ok(text.length > 0);
  await drained;
  t.ok(drainedAt >= finishedAt - 1000, 'the drain waited for it');
});
