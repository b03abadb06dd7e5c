import path from 'node:path';
import t from 'tap';
import { getLlama, type Token } from 'node-llama-cpp';
import { testConfig } from '../../helpers/config.js';
import { createEngine, type GenerateEvent, type GenerateRequest } from '../../../server/engine/engine.js';
import { TokenTextDecoder } from '../../../server/engine/worker/token-text.js';

const ZEPHYR = path.resolve(import.meta.dirname, '../../fixtures/models/tiny-random-zephyr.gguf');
const CONTEXT_SIZE = 512;

const engine = createEngine(
  testConfig({ modelPath: ZEPHYR, contextSize: CONTEXT_SIZE, parallel: 2, threads: 1, maxTokens: 200 }),
);
t.teardown(() => engine.close());

async function collect(request: Omit<GenerateRequest, 'userId'>, signal?: AbortSignal) {
  const events: GenerateEvent[] = [];
  for await (const event of engine.generate({ userId: 'u', ...request }, signal)) events.push(event);
  const text = events.flatMap((e) => (e.type === 'token' ? [e.text] : [])).join('');
  const done = events.at(-1);
  if (done?.type !== 'done') throw new Error('the stream did not end with done');
  return { events, text, done };
}

/** What node-llama-cpp itself generates for the same prompt, decoded in one piece. */
async function directGreedy(prompt: string, maxTokens: number) {
  const llama = await getLlama({ gpu: false, build: 'never' });
  const model = await llama.loadModel({ modelPath: ZEPHYR });
  const context = await model.createContext({ contextSize: CONTEXT_SIZE, threads: 1 });
  try {
    const promptTokens = [model.tokens.bos!, ...model.tokenize(prompt, true)];
    const out = [];
    for await (const token of context.getSequence().evaluate(promptTokens, { temperature: 0 })) {
      out.push(token);
      if (out.length >= maxTokens) break;
    }
    return { text: model.detokenize(out), promptTokens: promptTokens.length, tokens: out.length };
  } finally {
    await context.dispose();
    await model.dispose();
    await llama.dispose();
  }
}

const greedy = { temperature: 0, repeatPenalty: 1, maxTokens: 40 };
const messages = [{ role: 'user' as const, content: 'Write a short poem about the sea.' }];

t.test('the streamed text, in order, is exactly what node-llama-cpp generates', async (t) => {
  const { events, text, done } = await collect({ messages, options: greedy });
  const plan = await engine.plan(messages, greedy);
  const direct = await directGreedy(plan.prompt, 40);
  t.equal(direct.promptTokens, plan.promptTokens, 'the same prompt tokens');
  t.equal(text, direct.text);
  t.equal(events[0]?.type, 'start');
  t.ok(events.filter((e) => e.type === 'token').length > 5, 'streamed in many pieces');
  t.match(done, { finishReason: 'length', usage: { promptTokens: plan.promptTokens, completionTokens: 40 } });
});

t.test('a stop string ends the answer before it, and never reaches the caller', async (t) => {
  const full = await collect({ messages, options: greedy });
  const stop = full.text.slice(30, 36);
  const stopped = await collect({ messages, options: { ...greedy, stop: [stop] } });
  t.equal(stopped.text, full.text.slice(0, full.text.indexOf(stop)));
  t.equal(stopped.done.finishReason, 'stop');
});

t.test('abort ends the generation at the next token and frees the sequence', async (t) => {
  const controller = new AbortController();
  const events: GenerateEvent[] = [];
  for await (const event of engine.generate(
    { userId: 'u', messages, options: { maxTokens: 200 } },
    controller.signal,
  )) {
    events.push(event);
    if (event.type === 'token') controller.abort();
  }
  const done = events.at(-1);
  t.equal(done?.type, 'done');
  if (done?.type !== 'done') return;
  t.equal(done.finishReason, 'abort');
  t.ok(done.usage.completionTokens < 20, `stopped early (${done.usage.completionTokens} tokens)`);
  t.equal(engine.stats().activeSequences, 0);
  const next = await collect({ messages, options: { maxTokens: 5 } });
  t.equal(next.done.finishReason, 'length');
});

t.test('maxTokens is capped by MAX_TOKENS', async (t) => {
  const { done } = await collect({ messages, options: { ...greedy, maxTokens: 5000 } });
  t.match(done, { finishReason: 'length', usage: { completionTokens: 200 } });
});

t.test('byte tokens that are not valid UTF-8 reach the caller as U+FFFD, never an error', async (t) => {
  let replaced = 0;
  for (const seed of [2, 3, 6, 7, 8]) {
    const { text, done } = await collect({
      messages,
      options: { temperature: 1.5, topK: 0, topP: 1, seed, repeatPenalty: 1, maxTokens: 200 },
    });
    t.equal(done.finishReason, 'length');
    replaced += [...text].filter((c) => c === '\uFFFD').length;
    if (replaced > 0) break;
  }
  t.ok(replaced > 0, 'a random-weight model did emit invalid bytes');
});

t.test('a multi-byte character split over byte tokens is never split in the stream', async (t) => {
  const llama = await getLlama({ gpu: false, build: 'never' });
  const model = await llama.loadModel({ modelPath: ZEPHYR, vocabOnly: true });
  t.teardown(async () => {
    await model.dispose();
    await llama.dispose();
  });
  // Llama's vocabulary keeps the 256 byte tokens <0x00>..<0xFF> right after its 3 control tokens.
  const byte = (value: number) => (3 + value) as Token;
  t.equal(model.detokenize([byte(0xe2), byte(0x82), byte(0xac)]), '€', 'byte tokens found');
  const decoder = new TokenTextDecoder((tokens, last) => model.detokenize(tokens, false, last));
  t.same(
    [byte(0xe2), byte(0x82), byte(0xac)].map((token) => decoder.push(token)),
    ['', '', '€'],
  );
  // A stray continuation byte is passed on as U+FFFD once the next token shows it is not a character.
  const a = model.tokenize('a', false, 'trimLeadingSpace');
  t.same(
    [byte(0x85), ...a].map((token) => decoder.push(token)),
    ['', '\uFFFDa'],
  );
  t.equal(decoder.push(byte(0xe2)), '');
  t.equal(decoder.flush(), '\uFFFD', 'an unfinished character at the end becomes U+FFFD');
});
