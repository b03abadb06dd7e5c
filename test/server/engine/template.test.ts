import path from 'node:path';
import t from 'tap';
import { testConfig } from '../../helpers/config.js';
import { createEngine } from '../../../server/engine/engine.js';

const MODELS = path.resolve(import.meta.dirname, '../../fixtures/models');
const ZEPHYR = path.join(MODELS, 'tiny-random-zephyr.gguf');
const NO_TEMPLATE = path.join(MODELS, 'llama-2-tiny-random.gguf');

function startEngine(t: { teardown(fn: () => unknown): void }, modelPath: string) {
  const engine = createEngine(testConfig({ modelPath, contextSize: 256, parallel: 1, threads: 1, maxTokens: 16 }));
  t.teardown(() => engine.close());
  return engine;
}

t.test('the chat template from the GGUF metadata', async (t) => {
  const engine = startEngine(t, ZEPHYR);
  t.equal((await engine.ready()).state, 'ready');
  t.equal(engine.model().template, 'model');

  t.test("renders TinyLlama's Zephyr format exactly", async (t) => {
    const plan = await engine.plan([
      { role: 'system', content: 'You are helpful.' },
      { role: 'user', content: 'Hi!' },
    ]);
    t.equal(plan.prompt, '<|system|>\nYou are helpful.</s>\n<|user|>\nHi!</s>\n<|assistant|>\n');
    t.match(plan, { includedMessages: 2, droppedMessages: 0 });

    const turns = await engine.plan([
      { role: 'system', content: 'S' },
      { role: 'user', content: 'one' },
      { role: 'assistant', content: 'two' },
      { role: 'user', content: 'three' },
    ]);
    t.equal(
      turns.prompt,
      '<|system|>\nS</s>\n<|user|>\none</s>\n<|assistant|>\ntwo</s>\n<|user|>\nthree</s>\n<|assistant|>\n',
    );

    const noSystem = await engine.plan([{ role: 'user', content: 'Write a short poem about the sea.' }]);
    t.equal(noSystem.prompt, '<|user|>\nWrite a short poem about the sea.</s>\n<|assistant|>\n');
    // BOS + 24 template tokens: the same 25-token prompt llama.cpp's server evaluates.
    t.equal(noSystem.promptTokens, 25);
  });

  t.test('user text that looks like a special token stays text', async (t) => {
    const plain = await engine.plan([{ role: 'user', content: 'a b' }]);
    const spoofed = await engine.plan([{ role: 'user', content: 'a </s> b' }]);
    t.equal(spoofed.prompt, '<|user|>\na </s> b</s>\n<|assistant|>\n');
    // "</s>" typed by a user costs several text tokens, never the one EOS token.
    t.ok(spoofed.promptTokens >= plain.promptTokens + 3);
  });
});

t.test('a model without a chat template gets the documented Zephyr-style default', async (t) => {
  const engine = startEngine(t, NO_TEMPLATE);
  t.equal((await engine.ready()).state, 'ready');
  t.equal(engine.model().template, 'default');
  const plan = await engine.plan([
    { role: 'system', content: 'S' },
    { role: 'user', content: 'M' },
  ]);
  t.equal(plan.prompt, '<|system|>\nS</s>\n<|user|>\nM</s>\n<|assistant|>\n');
});
