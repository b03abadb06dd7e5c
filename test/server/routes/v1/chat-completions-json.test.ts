import t from 'tap';
import { Ajv } from 'ajv';
import { listenWithModel, TINY_MODEL_ID } from '../../../helpers/openai-app.js';

const ASK = { model: TINY_MODEL_ID, messages: [{ role: 'user' as const, content: 'Describe your mood as JSON.' }] };

/** Short by construction: an enum and a bounded string, so even a random model closes the object. */
const MOOD = {
  type: 'object',
  properties: {
    mood: { enum: ['good', 'bad', 'meh'] },
    word: { type: 'string', maxLength: 8 },
    calm: { type: 'boolean' },
  },
  required: ['mood', 'word', 'calm'],
  additionalProperties: false,
} as const;

t.test('response_format constrains the answer with a grammar', async (t) => {
  const { client } = await listenWithModel(t);
  const { openai } = await client('alice');
  const validate = new Ajv().compile(MOOD);

  t.test('json_schema: every answer parses and validates against its schema', async (t) => {
    for (const seed of [1, 2, 3]) {
      const answer = await openai.chat.completions.create({
        ...ASK,
        seed,
        temperature: 1,
        max_tokens: 120,
        response_format: { type: 'json_schema', json_schema: { name: 'mood', schema: MOOD } },
      });
      const choice = answer.choices[0]!;
      t.equal(choice.finish_reason, 'stop', `seed ${seed}: the grammar ends the answer`);
      const value: unknown = JSON.parse(choice.message.content!);
      t.ok(validate(value), `seed ${seed}: ${choice.message.content} matches the schema`);
    }
  });

  t.test('json_schema streamed: the joined deltas parse', async (t) => {
    const stream = await openai.chat.completions.create({
      ...ASK,
      seed: 4,
      temperature: 0,
      max_tokens: 120,
      stream: true,
      response_format: { type: 'json_schema', json_schema: { name: 'mood', schema: MOOD } },
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    t.ok(validate(JSON.parse(text)), text);
  });

  t.test('json_object: the answer is JSON from its first character', async (t) => {
    // A random model never closes a free-form string by itself, so a cut answer is checked as
    // the start of an object; the same request without JSON mode starts with anything.
    const plain = await openai.chat.completions.create({ ...ASK, seed: 5, temperature: 0, max_tokens: 6 });
    const json = await openai.chat.completions.create({
      ...ASK,
      seed: 5,
      temperature: 0,
      max_tokens: 6,
      response_format: { type: 'json_object' },
    });
    t.match(json.choices[0]!.message.content, /^\{\s*("|\})/, 'an object opens');
    t.not(json.choices[0]!.message.content, plain.choices[0]!.message.content, 'the grammar changed the answer');
  });

  t.test('the grammar is part of the cache key', async (t) => {
    const format = { type: 'json_schema' as const, json_schema: { name: 'mood', schema: MOOD } };
    const request = { ...ASK, seed: 6, temperature: 0, max_tokens: 120 };
    const first = await openai.chat.completions.create({ ...request, response_format: format }).withResponse();
    t.equal(first.response.headers.get('x-cache'), 'miss');
    const again = await openai.chat.completions.create({ ...request, response_format: format }).withResponse();
    t.equal(again.response.headers.get('x-cache'), 'hit');
    t.equal(again.data.choices[0]!.message.content, first.data.choices[0]!.message.content);
    const other = { ...format, json_schema: { name: 'mood', schema: { ...MOOD, required: ['mood'] } } };
    const changed = await openai.chat.completions.create({ ...request, response_format: other }).withResponse();
    t.equal(changed.response.headers.get('x-cache'), 'miss', 'another schema is another answer');
  });
});
