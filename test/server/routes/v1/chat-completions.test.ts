import t from 'tap';
import { bearer } from '../../../helpers/app.js';
import { listenWithModel, TINY_MODEL_ID } from '../../../helpers/openai-app.js';

// The tiny model writes random words: answers are compared with each other, never with English.
const HELLO = [{ role: 'user' as const, content: 'Hello there' }];
const GREEDY = { model: TINY_MODEL_ID, seed: 7, temperature: 0 };

t.test('/v1/chat/completions with the official openai client', async (t) => {
  const { app, client, admin } = await listenWithModel(t);
  const { openai, token } = await client('alice');

  t.test('models lists the loaded model', async (t) => {
    const list = await openai.models.list();
    t.same(
      list.data.map((m) => m.id),
      [TINY_MODEL_ID],
    );
  });

  t.test('a non-streamed answer and the same request streamed say the same', async (t) => {
    const { data: whole, response } = await openai.chat.completions
      .create({ ...GREEDY, messages: HELLO, max_tokens: 16 })
      .withResponse();
    t.equal(response.headers.get('x-cache'), 'miss');
    t.match(whole.id, /^chatcmpl-/);
    t.equal(whole.object, 'chat.completion');
    t.equal(whole.model, TINY_MODEL_ID);
    t.ok(Number.isInteger(whole.created) && whole.created <= Date.now() / 1000 + 1, 'created in unix seconds');
    t.equal(whole.choices.length, 1);
    t.match(whole.choices[0], { index: 0, message: { role: 'assistant', content: String }, finish_reason: 'length' });
    const usage = whole.usage!;
    t.equal(usage.completion_tokens, 16, 'max_tokens is the completion budget');
    t.ok(usage.prompt_tokens > 0);
    t.equal(usage.total_tokens, usage.prompt_tokens + usage.completion_tokens);

    const stream = await openai.chat.completions.create({ ...GREEDY, messages: HELLO, max_tokens: 16, stream: true });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    t.equal(new Set(chunks.map((c) => c.id)).size, 1, 'one id across the chunks');
    t.match(chunks[0]!.id, /^chatcmpl-/);
    t.ok(chunks.every((c) => c.object === 'chat.completion.chunk'));
    t.equal(chunks[0]!.choices[0]!.delta.role, 'assistant', 'the first delta carries the role');
    const last = chunks.at(-1)!;
    t.same(last.choices[0]!.delta, {}, 'the finishing chunk has an empty delta');
    t.equal(last.choices[0]!.finish_reason, 'length');
    t.ok(
      chunks.slice(0, -1).every((c) => c.choices[0]!.finish_reason === null),
      'only the last chunk has a finish reason',
    );
    t.equal(chunks.map((c) => c.choices[0]!.delta.content ?? '').join(''), whole.choices[0]!.message.content);
    t.notOk('usage' in last, 'no usage unless asked for');
  });

  t.test('include_usage adds a last chunk with usage and no choices', async (t) => {
    const stream = await openai.chat.completions.create({
      ...GREEDY,
      messages: HELLO,
      max_tokens: 8,
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    const last = chunks.at(-1)!;
    t.same(last.choices, []);
    t.same(last.usage, {
      prompt_tokens: last.usage!.prompt_tokens,
      completion_tokens: 8,
      total_tokens: last.usage!.prompt_tokens + 8,
    });
    t.ok(
      chunks.slice(0, -1).every((c) => c.usage === null),
      'usage is null on the other chunks, as OpenAI sends it',
    );
    t.equal(chunks.at(-2)!.choices[0]!.finish_reason, 'length');
  });

  t.test('stop ends the answer before the stop string; the repeat is a cache hit', async (t) => {
    const free = await openai.chat.completions.create({ ...GREEDY, messages: HELLO, max_tokens: 12 });
    const text = free.choices[0]!.message.content!;
    const words = text.split(' ').filter(Boolean);
    t.ok(words.length >= 3, 'enough words to cut at');
    const stop = ` ${words[2]}`;
    const cut = text.slice(0, text.indexOf(stop));

    const request = { ...GREEDY, messages: HELLO, max_tokens: 12, stop: [stop] };
    const first = await openai.chat.completions.create(request).withResponse();
    t.equal(first.data.choices[0]!.message.content, cut);
    t.equal(first.data.choices[0]!.finish_reason, 'stop');
    t.equal(first.response.headers.get('x-cache'), 'miss');

    const again = await openai.chat.completions.create(request).withResponse();
    t.equal(again.response.headers.get('x-cache'), 'hit', 'an identical request is answered from the cache');
    t.equal(again.data.choices[0]!.message.content, cut);
    t.same(again.data.usage, first.data.usage);

    const streamed = await openai.chat.completions.create({ ...request, stream: true }).withResponse();
    t.equal(streamed.response.headers.get('x-cache'), 'hit');
    t.equal(streamed.response.headers.get('cache-control'), 'no-store');
    let joined = '';
    for await (const chunk of streamed.data) joined += chunk.choices[0]?.delta.content ?? '';
    t.equal(joined, cut, 'a hit streams the same text');
  });

  t.test('text parts and a system prompt are answered; nothing is stored as a conversation', async (t) => {
    const answer = await openai.chat.completions.create({
      ...GREEDY,
      max_completion_tokens: 4,
      messages: [
        { role: 'system', content: 'You are terse.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Hello ' },
            { type: 'text', text: 'there' },
          ],
        },
      ],
    });
    t.equal(answer.usage!.completion_tokens, 4, 'max_completion_tokens is honoured');
    const list = await app.inject({ url: '/api/conversations', headers: bearer(token) });
    t.same(list.json().conversations, [], 'the API user has no conversations');
  });

  t.test('answers count by route in Prometheus and the admin metrics', async (t) => {
    const metrics = await app.inject({ url: '/api/admin/metrics', headers: bearer(admin) });
    const routes = metrics.json().routes;
    t.ok(routes.api.requests >= 6, 'API answers counted');
    t.ok(routes.api.cached >= 2, 'cache hits among them');
    t.ok(routes.api.tokensGenerated >= 16 + 16 + 8, 'model tokens counted');
    t.equal(routes.socket.requests, 0, 'no chat answers yet');
    const text = (await app.inject({ url: '/metrics' })).body;
    t.match(text, /pocketllm_route_answers_total\{route="api",cached="false"\} \d+/);
    t.match(text, /pocketllm_route_answers_total\{route="api",cached="true"\} \d+/);
    t.match(text, /pocketllm_route_tokens_generated_total\{route="api"\} \d+/);
  });
});
