import path from 'node:path';
import t from 'tap';
import { testConfig } from '../../server/config.js';
import { createEngine } from '../../server/engine/engine-client.js';
import type { ChatTurn, GenerateEvent, GenerateRequest } from '../../server/engine/engine.js';

const ZEPHYR = path.resolve(import.meta.dirname, '../../../shared/models/tiny-random-zephyr.gguf');

// PARALLEL=3: the smallest pool that keeps one sequence empty for newcomers.
const engine = createEngine(testConfig({ modelPath: ZEPHYR, contextSize: 1024, parallel: 3, threads: 1, maxTokens: 400 }));
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

const ask = (sessionKey: string, messages: ChatTurn[]) =>
  answer({ userId: 'u', sessionKey, messages, options: { maxTokens: 24, temperature: 0 } });

t.test('each follow-up turn evaluates only its new message, whatever tokens the model chose', async (t) => {
  let messages: ChatTurn[] = [{ role: 'user', content: 'Tell me about ships.' }];
  let previous = await ask('reuse', messages);
  for (let turn = 2; turn <= 5; turn++) {
    const next = `And question number ${turn}?`;
    messages = [...messages, { role: 'assistant', content: previous.text }, { role: 'user', content: next }];
    const reply = await ask('reuse', messages);
    // The sequence held the last prompt and every answer token but the last sampled one.
    const held = previous.usage.promptTokens + previous.usage.completionTokens - 1;
    t.equal(reply.usage.cachedPromptTokens, held, `turn ${turn}: all ${held} held tokens reused`);
    const evaluated = reply.usage.promptTokens - reply.usage.cachedPromptTokens!;
    // The new part: the answer's last token, "</s>\n<|user|>\n" + message + "</s>\n<|assistant|>\n".
    t.ok(evaluated <= 30, `turn ${turn}: evaluated ${evaluated} new tokens`);
    previous = reply;
  }
});

t.test('a request that must cut back a sequence joins a running batch at once', async (t) => {
  // Fill all three sequences, so the newcomer below has to erase another conversation's tokens.
  for (const key of ['x', 'y', 'z']) await ask(key, [{ role: 'user', content: `Fill ${key}` }]);
  const long = { maxTokens: 400, temperature: 1, seed: 7, stop: [] };
  const order: string[] = [];
  const stream = async (name: string, sessionKey: string, onToken?: () => void) => {
    let tokens = 0;
    for await (const event of engine.generate({ userId: name, sessionKey, messages: [{ role: 'user', content: `Long story ${name}` }], options: long })) {
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
