import OpenAI from 'openai';
import t from 'tap';
import { bearer } from '../../../helpers/app.js';
import { listenWithModel, TINY_MODEL_ID } from '../../../helpers/openai-app.js';

const ask = (openai: OpenAI) =>
  openai.chat.completions.create({ model: TINY_MODEL_ID, messages: [{ role: 'user', content: 'Hi' }], max_tokens: 4 });

t.test('/v1/chat/completions goes through the per-user limits: headers, then 429 rate_limited', async (t) => {
  const portal = await listenWithModel(t);
  const set = await portal.app.inject({
    method: 'PUT',
    url: '/api/admin/limits/roles/user',
    headers: bearer(portal.admin),
    payload: { requestsPerMinute: 2, tokensPerDay: null, concurrent: null, maxTokens: 2 },
  });
  t.equal(set.statusCode, 200, 'the admin sets the user role to 2 requests a minute');
  const { openai } = await portal.client('limited');
  const first = await ask(openai).withResponse();
  t.equal(first.response.headers.get('x-ratelimit-limit-requests'), '2');
  t.equal(first.response.headers.get('x-ratelimit-remaining-requests'), '1');
  t.ok(first.data.usage!.completion_tokens <= 2, 'max_tokens is clamped to the role ceiling');
  await ask(openai);
  const refused = await ask(openai).catch((error: unknown) => error);
  t.ok(refused instanceof OpenAI.RateLimitError, 'the third request in the minute is a RateLimitError');
  const error = refused as InstanceType<typeof OpenAI.RateLimitError>;
  t.equal(error.status, 429);
  t.ok(Number(error.headers?.get('retry-after')) >= 1, 'Retry-After says when');
  t.equal(error.headers?.get('x-ratelimit-remaining-requests'), '0');
  t.equal(error.code, 'rate_limit_exceeded');

  const { openai: other } = await portal.client('unlimited-neighbour');
  await portal.app.inject({
    method: 'PUT',
    url: '/api/admin/limits/roles/user',
    headers: bearer(portal.admin),
    payload: { requestsPerMinute: 100, tokensPerDay: null, concurrent: null, maxTokens: null },
  });
  t.equal((await ask(other)).object, 'chat.completion', 'a raised limit applies to the next request');
});
