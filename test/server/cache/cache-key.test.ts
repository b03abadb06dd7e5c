import t from 'tap';
import { cacheKey } from '../../../server/cache/cache-key.js';

const base = { modelFingerprint: 'model-a', prompt: '<user>Hello</user>' };

t.test('a key is a sha256 hex digest, stable for equal inputs', async (t) => {
  const key = cacheKey({ ...base, options: { temperature: 0.7, topK: 40 } });
  t.match(key, /^[0-9a-f]{64}$/);
  t.equal(cacheKey({ ...base, options: { topK: 40, temperature: 0.7 } }), key, 'option order does not matter');
  t.equal(
    cacheKey({ ...base, options: { temperature: 0.7, topK: 40, seed: undefined } }),
    key,
    'undefined options are dropped',
  );
});

t.test('every output-affecting input changes the key', async (t) => {
  const key = cacheKey({ ...base, options: { temperature: 0.7 } });
  const variants = [
    cacheKey({ ...base, options: { temperature: 0.8 } }),
    cacheKey({ ...base, options: { temperature: 0.7, topP: 0.9 } }),
    cacheKey({ ...base, options: { temperature: 0.7, maxTokens: 16 } }),
    cacheKey({ ...base, options: { temperature: 0.7, seed: 1 } }),
    cacheKey({ ...base, options: { temperature: 0.7, repeatPenalty: 1.2 } }),
    cacheKey({ ...base, options: { temperature: 0.7, stop: ['\n'] } }),
    cacheKey({ ...base, options: { temperature: 0.7, grammar: { type: 'json' } } }),
    cacheKey({ ...base, options: { temperature: 0.7, grammar: { type: 'json_schema', schema: { type: 'object' } } } }),
    cacheKey({ ...base, options: { temperature: 0.7, grammar: { type: 'json_schema', schema: { type: 'array' } } } }),
    cacheKey({ ...base, modelFingerprint: 'model-b', options: { temperature: 0.7 } }),
    cacheKey({ ...base, prompt: '<user>Hello </user>', options: { temperature: 0.7 } }),
  ];
  t.equal(new Set([key, ...variants]).size, variants.length + 1);
});

t.test('stop strings act as a set; options that do not change output are ignored', async (t) => {
  t.equal(cacheKey({ ...base, options: { stop: ['a', 'b'] } }), cacheKey({ ...base, options: { stop: ['b', 'a'] } }));
  const withNoCache = { temperature: 0, noCache: true } as unknown as { temperature: number };
  t.equal(cacheKey({ ...base, options: withNoCache }), cacheKey({ ...base, options: { temperature: 0 } }));
});

t.test('fields cannot bleed into each other', async (t) => {
  t.not(
    cacheKey({ modelFingerprint: 'a","prompt":"b', prompt: 'c' }),
    cacheKey({ modelFingerprint: 'a', prompt: 'b","prompt":"c' }),
  );
});
