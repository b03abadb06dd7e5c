import t from 'tap';
import OpenAI from 'openai';
import { bearer, buildTestApp, createUser, setupAdmin, TINY_ZEPHYR } from '../../../helpers/app.js';
import { listenWithModel, TINY_MODEL_ID } from '../../../helpers/openai-app.js';

const HELLO = [{ role: 'user' as const, content: 'Hello' }];
const BASE = { model: TINY_MODEL_ID, messages: HELLO, max_tokens: 4 };

/** The error a request fails with (it must fail). */
async function failure(call: Promise<unknown>): Promise<InstanceType<typeof OpenAI.APIError>> {
  try {
    await call;
  } catch (error) {
    if (error instanceof OpenAI.APIError) return error;
    throw error;
  }
  throw new Error('the request was expected to fail');
}

t.test('errors reach the openai client as its own error classes', async (t) => {
  const { url, client, app } = await listenWithModel(t, { contextSize: 256, maxTokens: 64 });
  const { openai, key } = await client('alice');
  const post = (body: unknown) =>
    fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  t.test('401 for a bad key', async (t) => {
    const stranger = new OpenAI({ apiKey: 'pk-' + 'A'.repeat(43), baseURL: `${url}/v1`, maxRetries: 0 });
    const error = await failure(stranger.chat.completions.create(BASE));
    t.type(error, OpenAI.AuthenticationError);
    t.equal(error.status, 401);
    t.equal(error.code, 'invalid_api_key');
  });

  t.test('404 for a model that is not loaded', async (t) => {
    const error = await failure(openai.chat.completions.create({ ...BASE, model: 'gpt-4o' }));
    t.type(error, OpenAI.NotFoundError);
    t.equal(error.code, 'model_not_found');
    t.equal(error.param, 'model');
  });

  t.test('400 for what the portal does not do, naming the param', async (t) => {
    const n2 = await failure(openai.chat.completions.create({ ...BASE, n: 2 }));
    t.type(n2, OpenAI.BadRequestError);
    t.equal(n2.param, 'n');
    const tools = await failure(
      openai.chat.completions.create({
        ...BASE,
        tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }],
      }),
    );
    t.type(tools, OpenAI.BadRequestError);
    t.equal(tools.param, 'tools');
    t.match(tools.message, /not supported by this model/);
    const schema = await failure(
      openai.chat.completions.create({
        ...BASE,
        response_format: { type: 'json_schema', json_schema: { name: 'x', schema: { type: 'nonsense' } } },
      }),
    );
    t.type(schema, OpenAI.BadRequestError);
    t.equal(schema.param, 'response_format');
  });

  t.test('wrong types are refused, not coerced; unknown fields are ignored', async (t) => {
    for (const [body, param] of [
      [{ ...BASE, temperature: '0.5' }, 'temperature'],
      [{ ...BASE, max_tokens: '4' }, 'max_tokens'],
      [{ ...BASE, stream: 'true' }, 'stream'],
      [{ ...BASE, messages: [{ role: 'user', content: 5 }] }, 'messages.[0].content'],
      [{ ...BASE, messages: [{ role: 'robot', content: 'x' }] }, 'messages.[0].role'],
      [{ ...BASE, messages: [{ role: 'user' }] }, 'messages.[0].content'],
      [{ messages: HELLO }, 'model'],
    ] as const) {
      const res = await post(body);
      t.equal(res.status, 400, param);
      t.match(await res.json(), { error: { type: 'invalid_request_error', param } }, param);
    }
    const res = await post({ ...BASE, frequency_penalty: 0, logit_bias: {}, user: 'me', temperature: null });
    t.equal(res.status, 200, 'unknown and null fields are ignored');
  });

  t.test('a conversation that does not fit is refused, never cut', async (t) => {
    const long = Array.from({ length: 12 }, (_, i) => ({
      role: i % 2 === 0 ? ('user' as const) : ('assistant' as const),
      content: `Message number ${i} with a few more words in it to fill the context window quickly.`,
    }));
    const error = await failure(openai.chat.completions.create({ ...BASE, messages: long, max_tokens: 32 }));
    t.type(error, OpenAI.BadRequestError);
    t.equal(error.code, 'context_length_exceeded');
    t.match(error.message, /maximum context length is 256 tokens/);
    t.match(error.message, /\d+ in the messages, 32 in the completion/);

    const huge = await failure(
      openai.chat.completions.create({ ...BASE, messages: [{ role: 'user', content: 'word '.repeat(400) }] }),
    );
    t.equal(huge.code, 'context_length_exceeded', 'one message too long alone');
    t.equal(app.engine.stats().activeSequences, 0);
  });
});

t.test('429 with Retry-After when the queue is full', async (t) => {
  const { client } = await listenWithModel(t, { parallel: 1, maxQueue: 1, maxTokens: 512 });
  const { openai } = await client('bob');
  const long = { ...BASE, max_tokens: 400, temperature: 1, stop: null };
  const running = openai.chat.completions.create({ ...long, seed: 1 });
  const waiting = openai.chat.completions.create({ ...long, seed: 2 });
  await new Promise((resolve) => setTimeout(resolve, 300));
  const error = await failure(openai.chat.completions.create({ ...long, seed: 3 }));
  t.type(error, OpenAI.RateLimitError);
  t.equal(error.code, 'rate_limit_exceeded');
  t.match(error.headers?.get('retry-after'), /^\d+$/);
  await Promise.all([running, waiting]);
});

t.test('503 while no model is loaded', async (t) => {
  const app = await buildTestApp(t, { modelPath: TINY_ZEPHYR + '.missing' });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  const user = await createUser(app, await setupAdmin(app), 'carol');
  const { key } = (
    await app.inject({ method: 'POST', url: '/api/keys', headers: bearer(user.token), payload: { name: 'k' } })
  ).json<{ key: string }>();
  const openai = new OpenAI({ apiKey: key, baseURL: `${url}/v1`, maxRetries: 0 });
  const error = await failure(openai.chat.completions.create(BASE));
  t.type(error, OpenAI.InternalServerError);
  t.equal(error.status, 503);
});
