import t from 'tap';
import Fastify from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { AppError } from '../../../../server/errors.js';
import { invalidRequest, routeNotFound, sendOpenAiError } from '../../../../server/routes/v1/openai-errors.js';

/** A bare Fastify with the /v1 error handler, and routes that fail in each way a /v1 route can. */
async function build(t: { teardown(fn: () => unknown): void }) {
  // The same validator options as buildApp.
  const app = Fastify({
    logger: false,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();
  t.teardown(() => app.close());
  app.setErrorHandler(sendOpenAiError);
  app.setNotFoundHandler(routeNotFound);
  const Body = Type.Object({
    model: Type.String(),
    messages: Type.Array(Type.Object({ role: Type.String(), content: Type.String() })),
    temperature: Type.Optional(Type.Number()),
  });
  app.post('/chat', { schema: { body: Body } }, async () => ({ ok: true }));
  app.get('/busy', async () => {
    throw new AppError(429, 'busy', 'The queue is full.', 3);
  });
  app.get('/param', async () => {
    throw invalidRequest('n must be 1.', 'n');
  });
  app.get('/crash', async () => {
    throw new Error('secret detail');
  });
  return app;
}

t.test('validation errors are 400 invalid_request_error naming the param', async (t) => {
  const app = await build(t);
  const post = (payload: unknown) => app.inject({ method: 'POST', url: '/chat', payload: payload as object });
  const cases = [
    [{ messages: [] }, 'model', /Missing required parameter: 'model'/],
    [
      { model: 'm', messages: [{ role: 'user', content: { text: 'x' } }] },
      'messages.[0].content',
      /Invalid value for 'messages.\[0\].content'/,
    ],
    [{ model: 'm', messages: [{ content: 'x' }] }, 'messages.[0].role', /Missing required parameter/],
    [{ model: 'm', messages: [], temperature: 'hot' }, 'temperature', /temperature/],
  ] as const;
  for (const [payload, param, message] of cases) {
    const res = await post(payload);
    t.equal(res.statusCode, 400, param);
    t.match(res.json(), { error: { type: 'invalid_request_error', param, code: null, message } });
  }
  const notJson = await app.inject({
    method: 'POST',
    url: '/chat',
    headers: { 'content-type': 'application/json' },
    payload: '{',
  });
  t.equal(notJson.statusCode, 400);
  t.match(notJson.json(), { error: { type: 'invalid_request_error', param: null } });
});

t.test('app errors, OpenAI errors and crashes keep their status in OpenAI shape', async (t) => {
  const app = await build(t);
  const busy = await app.inject({ url: '/busy' });
  t.equal(busy.statusCode, 429);
  t.equal(busy.headers['retry-after'], '3');
  t.match(busy.json(), { error: { code: 'rate_limit_exceeded', message: 'The queue is full.' } });
  t.match((await app.inject({ url: '/param' })).json(), {
    error: { type: 'invalid_request_error', param: 'n', message: 'n must be 1.' },
  });
  const crash = await app.inject({ url: '/crash' });
  t.equal(crash.statusCode, 500);
  t.match(crash.json(), { error: { type: 'server_error', param: null, code: null } });
  t.notMatch(crash.body, /secret detail/, '5xx details stay in the log');
  t.match((await app.inject({ url: '/nowhere' })).json(), {
    error: { message: 'Invalid URL (GET /nowhere)', code: null },
  });
});
