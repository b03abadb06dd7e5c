import { randomUUID } from 'node:crypto';
import t from 'tap';
import type { FastifyInstance } from 'fastify';
import { insertMessage } from '../../../../server/db/repositories/messages.js';
import { bearer, buildTestApp, setupAdmin } from '../../../helpers/app.js';

const URL = '/api/conversations';

/** Writes a message straight to the database, as the chat code would. */
async function seedMessage(app: FastifyInstance, conversationId: string, role: 'user' | 'assistant', content: string) {
  const id = randomUUID();
  await insertMessage(app.db, {
    id,
    conversation_id: conversationId,
    role,
    content,
    status: 'complete',
    cached: 0,
    prompt_tokens: null,
    completion_tokens: null,
    ttft_ms: null,
    total_ms: null,
    tokens_per_second: null,
    error_code: null,
    created_at: new Date().toISOString(),
  });
  return id;
}

t.test('create, get, rename, change the system prompt, delete', async (t) => {
  const app = await buildTestApp(t);
  const h = bearer(await setupAdmin(app));

  const blank = await app.inject({ method: 'POST', url: URL, headers: h, payload: {} });
  t.equal(blank.statusCode, 201);
  const created = blank.json().conversation;
  t.match(created, { id: String, title: 'New chat', systemPrompt: '', createdAt: String, updatedAt: String });
  t.same(
    Object.keys(created).sort(),
    ['createdAt', 'id', 'systemPrompt', 'title', 'updatedAt'],
    'exactly the contract fields',
  );
  t.equal(new Date(created.createdAt).toISOString(), created.createdAt, 'ISO-8601 UTC');

  const noBody = await app.inject({ method: 'POST', url: URL, headers: h });
  t.equal(noBody.statusCode, 201, 'a POST without a body makes a blank conversation');

  const named = await app.inject({
    method: 'POST',
    url: URL,
    headers: h,
    payload: { title: '  Trip\nplans ', systemPrompt: 'Be brief.' },
  });
  t.match(named.json().conversation, { title: 'Trip plans', systemPrompt: 'Be brief.' }, 'titles are one trimmed line');

  const got = await app.inject({ url: `${URL}/${created.id}`, headers: h });
  t.equal(got.statusCode, 200);
  t.same(got.json(), { conversation: created, messages: [] });

  const renamed = await app.inject({
    method: 'PATCH',
    url: `${URL}/${created.id}`,
    headers: h,
    payload: { title: 'Renamed' },
  });
  t.equal(renamed.statusCode, 200);
  t.match(renamed.json().conversation, { id: created.id, title: 'Renamed', systemPrompt: '' });
  t.ok(renamed.json().conversation.updatedAt > created.updatedAt, 'an edit moves updatedAt forward');

  const prompted = await app.inject({
    method: 'PATCH',
    url: `${URL}/${created.id}`,
    headers: h,
    payload: { systemPrompt: 'Answer in French.' },
  });
  t.match(
    prompted.json().conversation,
    { title: 'Renamed', systemPrompt: 'Answer in French.' },
    'the other field is kept',
  );
  const cleared = await app.inject({
    method: 'PATCH',
    url: `${URL}/${created.id}`,
    headers: h,
    payload: { systemPrompt: '' },
  });
  t.equal(cleared.json().conversation.systemPrompt, '', 'a system prompt can be cleared');

  t.equal((await app.inject({ method: 'DELETE', url: `${URL}/${created.id}`, headers: h })).statusCode, 204);
  const gone = await app.inject({ url: `${URL}/${created.id}`, headers: h });
  t.equal(gone.statusCode, 404);
  t.same(gone.json(), { error: { code: 'not_found', message: 'Conversation not found.' } });
  t.equal(
    (await app.inject({ method: 'DELETE', url: `${URL}/${created.id}`, headers: h })).statusCode,
    404,
    'deleting twice is a 404',
  );
});

t.test('get returns messages in order with the contract fields; delete takes them along', async (t) => {
  const app = await buildTestApp(t);
  const h = bearer(await setupAdmin(app));
  const { id } = (await app.inject({ method: 'POST', url: URL, headers: h, payload: {} })).json().conversation;
  const keep = (await app.inject({ method: 'POST', url: URL, headers: h, payload: {} })).json().conversation.id;
  const ids = [
    await seedMessage(app, id, 'user', 'Hi'),
    await seedMessage(app, id, 'assistant', 'Hello!'),
    await seedMessage(app, id, 'user', 'Bye'),
  ];
  await app.db
    .updateTable('messages')
    .set({ cached: 1, prompt_tokens: 12, completion_tokens: 3, ttft_ms: 40.5, total_ms: 90, tokens_per_second: 33.3 })
    .where('id', '=', ids[1]!)
    .execute();
  await seedMessage(app, keep, 'user', 'other conversation');

  const { messages } = (await app.inject({ url: `${URL}/${id}`, headers: h })).json();
  t.same(
    messages.map((m: { id: string }) => m.id),
    ids,
    'in the order written',
  );
  t.same(
    messages[0],
    { id: ids[0], role: 'user', content: 'Hi', status: 'complete', createdAt: messages[0].createdAt },
    'no cached, usage or timings on a bare user message',
  );
  t.match(messages[1], {
    role: 'assistant',
    status: 'complete',
    cached: true,
    usage: { promptTokens: 12, completionTokens: 3 },
    timings: { ttftMs: 40.5, totalMs: 90, tokensPerSecond: 33.3 },
  });

  const count = async (conversationId: string) =>
    (
      await app.db
        .selectFrom('messages')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('conversation_id', '=', conversationId)
        .executeTakeFirstOrThrow()
    ).n;
  t.equal(await count(id), 3);
  t.equal((await app.inject({ method: 'DELETE', url: `${URL}/${id}`, headers: h })).statusCode, 204);
  t.equal(await count(id), 0, 'its messages went with it');
  t.equal(await count(keep), 1, 'other conversations keep theirs');
});

t.test('bad input gets 400 in the contract shape', async (t) => {
  const app = await buildTestApp(t);
  const h = bearer(await setupAdmin(app));
  const { id } = (await app.inject({ method: 'POST', url: URL, headers: h, payload: {} })).json().conversation;
  const cases = [
    {
      name: 'unknown field on create',
      method: 'POST',
      url: URL,
      payload: { title: 'x', pinned: true },
      message: /Unknown field "pinned"/,
    },
    { name: 'title too long', method: 'POST', url: URL, payload: { title: 'x'.repeat(201) }, message: /title/ },
    { name: 'empty title', method: 'POST', url: URL, payload: { title: '' }, message: /title/ },
    { name: 'blank title', method: 'PATCH', url: `${URL}/${id}`, payload: { title: ' \n ' }, message: /blank/ },
    {
      name: 'system prompt too long',
      method: 'POST',
      url: URL,
      payload: { systemPrompt: 'x'.repeat(8001) },
      message: /systemPrompt/,
    },
    { name: 'wrong type', method: 'PATCH', url: `${URL}/${id}`, payload: { title: { text: 'x' } }, message: /title/ },
    { name: 'empty patch', method: 'PATCH', url: `${URL}/${id}`, payload: {} },
    {
      name: 'unknown field on patch',
      method: 'PATCH',
      url: `${URL}/${id}`,
      payload: { userId: 'someone' },
      message: /Unknown field "userId"/,
    },
    { name: 'bad export format', method: 'GET', url: `${URL}/${id}/export?format=pdf`, message: /format/ },
    { name: 'limit too big', method: 'GET', url: `${URL}?limit=101`, message: /limit/ },
    { name: 'limit zero', method: 'GET', url: `${URL}?limit=0`, message: /limit/ },
    { name: 'q too long', method: 'GET', url: `${URL}?q=${'x'.repeat(201)}`, message: /q/ },
    { name: 'unknown query field', method: 'GET', url: `${URL}?sort=asc`, message: /sort/ },
  ] as const;
  for (const c of cases) {
    const res = await app.inject({
      method: c.method,
      url: c.url,
      headers: h,
      ...('payload' in c ? { payload: c.payload } : {}),
    });
    t.equal(res.statusCode, 400, `${c.name}: status`);
    t.equal(res.json().error?.code, 'bad_request', `${c.name}: code`);
    t.type(res.json().error?.message, 'string', `${c.name}: message`);
    if ('message' in c) t.match(res.json().error.message, c.message, `${c.name}: names the field`);
  }
  const exact = await app.inject({
    method: 'POST',
    url: URL,
    headers: h,
    payload: { title: 'x'.repeat(200), systemPrompt: 'y'.repeat(8000) },
  });
  t.equal(exact.statusCode, 201, 'the limits themselves are allowed');
});

t.test('every route needs a signed-in user', async (t) => {
  const app = await buildTestApp(t);
  const h = bearer(await setupAdmin(app));
  const { id } = (await app.inject({ method: 'POST', url: URL, headers: h, payload: {} })).json().conversation;
  const routes = [
    { method: 'GET', url: URL },
    { method: 'POST', url: URL, payload: {} },
    { method: 'GET', url: `${URL}/${id}` },
    { method: 'PATCH', url: `${URL}/${id}`, payload: { title: 'x' } },
    { method: 'DELETE', url: `${URL}/${id}` },
    { method: 'GET', url: `${URL}/${id}/export` },
  ] as const;
  for (const route of routes) {
    const anon = await app.inject(route);
    t.equal(anon.statusCode, 401, `${route.method} ${route.url}`);
    t.equal(anon.json().error.code, 'unauthenticated');
    const forged = await app.inject({ ...route, headers: bearer('not.a.token') });
    t.equal(forged.statusCode, 401, `${route.method} ${route.url} with a bad token`);
  }
  t.equal(
    (await app.inject({ url: `${URL}/${id}`, headers: h })).statusCode,
    200,
    'nothing was changed by those calls',
  );
});
