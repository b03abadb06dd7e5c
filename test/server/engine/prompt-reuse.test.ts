import path from 'node:path';
import t from 'tap';
import { testConfig } from '../../helpers/config.js';
import {
  createEngine,
  type ChatTurn,
  type GenerateEvent,
  type GenerateRequest,
} from '../../../server/engine/engine.js';

const ZEPHYR = path.resolve(import.meta.dirname, '../../fixtures/models/tiny-random-zephyr.gguf');

// PARALLEL=3: the smallest pool that keeps one sequence empty for newcomers.
const engine = createEngine(
  testConfig({ modelPath: ZEPHYR, contextSize: 1024, parallel: 3, threads: 1, maxTokens: 400 }),
);
t.teardown(() => engine.close());

async function answer(request: GenerateRequest) {
  let text = '';
  let last: GenerateEvent | undefined;
  for await (const event of engine.generate(request)) {
    if (event.type === 'token') text += event.text;
    last = event;
  }
  if (last?.type !== 'done') throw new Error('no done event');
  return { text, usage: last.usage, finishReason: last.finishReason };
}

/** A user reading the answer: longer than the idle time after which the engine prefills the next turn (250 ms). */
const reading = () => new Promise((resolve) => setTimeout(resolve, 600));

const ask = (sessionKey: string, messages: ChatTurn[]) =>
  answer({ userId: 'u', sessionKey, messages, options: { maxTokens: 24, temperature: 0 } });

t.test(
  "each follow-up turn evaluates only its new message: the answer's tokens are kept, the next turn's opening is evaluated after it",
  async (t) => {
    let messages: ChatTurn[] = [{ role: 'user', content: 'Tell me about ships.' }];
    let previous = await ask('reuse', messages);
    for (let turn = 2; turn <= 5; turn++) {
      const next = `And question number ${turn}?`;
      messages = [...messages, { role: 'assistant', content: previous.text }, { role: 'user', content: next }];
      await reading();
      const reply = await ask('reuse', messages);
      // The sequence held the last prompt and every answer token but the last sampled one, and after
      // the answer the engine evaluated the rest of it and what every next turn starts with
      // ("</s>\n<|user|>\n"): all of that is reused.
      const held = previous.usage.promptTokens + previous.usage.completionTokens - 1;
      t.ok(
        reply.usage.cachedPromptTokens! > held,
        `turn ${turn}: ${reply.usage.cachedPromptTokens} tokens reused, more than the ${held} the answer left`,
      );
      const evaluated = reply.usage.promptTokens - reply.usage.cachedPromptTokens!;
      // Left to evaluate: the message and "</s>\n<|assistant|>\n" (without the prefill: 26 tokens).
      t.ok(evaluated <= 18, `turn ${turn}: evaluated ${evaluated} new tokens`);
      previous = reply;
    }
  },
);

t.test(
  'asked back to back, a follow-up is not delayed by prefilling: the engine prefills only when idle',
  async (t) => {
    let messages: ChatTurn[] = [{ role: 'user', content: 'Tell me about harbours.' }];
    const first = await ask('busy', messages);
    messages = [...messages, { role: 'assistant', content: first.text }, { role: 'user', content: 'And then?' }];
    const reply = await ask('busy', messages);
    const held = first.usage.promptTokens + first.usage.completionTokens - 1;
    t.equal(
      reply.usage.cachedPromptTokens,
      held,
      'only what the answer left was reused: nothing was prefilled in between',
    );
  },
);

t.test('a request that must cut back a sequence joins a running batch at once', async (t) => {
  // Fill all three sequences, so the newcomer below has to erase another conversation's tokens.
  for (const key of ['x', 'y', 'z']) await ask(key, [{ role: 'user', content: `Fill ${key}` }]);
  const long = { maxTokens: 400, temperature: 1, seed: 7, stop: [] };
  const order: string[] = [];
  const stream = async (name: string, sessionKey: string, onToken?: () => void) => {
    let tokens = 0;
    for await (const event of engine.generate({
      userId: name,
      sessionKey,
      messages: [{ role: 'user', content: `Long story ${name}` }],
      options: long,
    })) {
      if (event.type === 'token' && ++tokens === 1) order.push(`${name} first token`);
      if (event.type === 'token') onToken?.();
      if (event.type === 'done') order.push(`${name} done (${event.usage.completionTokens} tokens)`);
    }
  };
  let joined: Promise<void> | undefined;
  let seen = 0;
  // C starts once A and B are both decoding (10 tokens in), on a sequence it must cut back.
  const join = () => {
    if (++seen === 20) joined = stream('C', 'c', undefined);
  };
  await Promise.all([stream('A', 'a', join), stream('B', 'b', join)]);
  await joined;
  t.ok(joined, 'C was started');
  const firstC = order.indexOf('C first token');
  const doneA = order.findIndex((entry) => entry.startsWith('A done'));
  const doneB = order.findIndex((entry) => entry.startsWith('B done'));
  t.ok(firstC < doneA && firstC < doneB, `C streamed before A and B were done: ${order.join(', ')}`);
});
