import t from 'tap';
import { residentPrefix } from '../../../../server/engine/worker/resident-prefix.js';
import type { Detokenize } from '../../../../server/engine/worker/token-text.js';

// A toy vocabulary: the held run is how a model might have generated "hello world", the prompt
// how the tokenizer splits the same text. 90–93 are the bytes of a 2-byte character: alone each
// decodes to U+FFFD, together they make "é".
const VOCAB: Record<number, string> = {
  1: '<s>',
  2: '<|user|>',
  3: 'hello',
  4: ' world',
  5: 'hel',
  6: 'lo',
  7: ' wor',
  8: 'ld',
  9: '</s>',
  10: ' there',
  11: 'x',
};
const detokenize: Detokenize<number> = (tokens) => {
  const text = tokens.map((token) => VOCAB[token] ?? '').join('');
  const bytes = tokens.filter((token) => token >= 90);
  if (bytes.length === 0) return text;
  return text + (bytes.length === 2 ? 'é' : '\uFFFD');
};

t.test('identical token runs: everything but the last prompt token is reused', async (t) => {
  t.same(residentPrefix([1, 2, 3, 4], [1, 2, 3, 4, 9], detokenize), { tokens: [1, 2, 3, 4, 9], reused: 4 });
  t.same(residentPrefix([1, 2, 3, 4], [1, 2, 3, 4], detokenize), { tokens: [1, 2, 3, 4], reused: 3 });
});

t.test('a generated answer re-tokenized differently is still reused, through its text', async (t) => {
  // held: <s><|user|> hello world (generated as 2 tokens); prompt: the tokenizer's 4-token split, then more.
  const prefix = residentPrefix([1, 2, 3, 4], [1, 2, 5, 6, 7, 8, 9, 10], detokenize);
  t.same(prefix, { tokens: [1, 2, 3, 4, 9, 10], reused: 4 }, 'the held tokens replace their re-tokenized text');
});

t.test('reuse stops at the last token boundary both runs share before their text parts', async (t) => {
  // held says "hello world", the prompt "hello there": only "hello" is shared, on a boundary in both.
  t.same(residentPrefix([1, 2, 3, 4], [1, 2, 5, 6, 10], detokenize), { tokens: [1, 2, 3, 10], reused: 3 });
  // held says "hello world", the prompt "hel" then "x": the text parts inside the held token "hello".
  t.same(residentPrefix([1, 2, 3, 4], [1, 2, 5, 11], detokenize), { tokens: [1, 2, 5, 11], reused: 2 });
});

t.test('a character split over byte tokens is compared whole', async (t) => {
  // held: "é" as two byte tokens then " world"; prompt: the same bytes in another order of tokens
  // (91, 92 also decode to "é" together), then " wor" "ld".
  const prefix = residentPrefix([1, 90, 91, 4], [1, 92, 93, 7, 8, 9], detokenize);
  t.same(prefix, { tokens: [1, 90, 91, 4, 9], reused: 4 });
});

t.test('nothing shared: the prompt is evaluated whole', async (t) => {
  t.same(residentPrefix([], [1, 2], detokenize), { tokens: [1, 2], reused: 0 });
  t.same(residentPrefix([11, 3], [1, 2], detokenize), { tokens: [1, 2], reused: 0 });
});
