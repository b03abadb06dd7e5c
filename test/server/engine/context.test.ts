import path from 'node:path';
import t from 'tap';
import { testConfig } from '../../helpers/config.js';
import {
  createEngine,
  EngineError,
  type ChatTurn,
  type GenerateEvent,
  type GenerateRequest,
} from '../../../server/engine/engine.js';

const ZEPHYR = path.resolve(import.meta.dirname, '../../fixtures/models/tiny-random-zephyr.gguf');
const CONTEXT_SIZE = 256;
const MAX_TOKENS = 32;

// PARALLEL=1: one sequence, so prompt reuse and its LRU reassignment are observable.
const engine = createEngine(
  testConfig({ modelPath: ZEPHYR, contextSize: CONTEXT_SIZE, parallel: 1, threads: 1, maxTokens: MAX_TOKENS }),
);
t.teardown(() => engine.close());

async function done(request: GenerateRequest) {
  let last: GenerateEvent | undefined;
  for await (const event of engine.generate(request)) last = event;
  if (last?.type !== 'done') throw new Error('no done event');
  return last;
}

const history = (turns: number): ChatTurn[] =>
  Array.from({ length: turns }, (_, i) => [
    { role: 'user' as const, content: `Question number ${i}: tell me about the ocean and the ships on it.` },
    { role: 'assistant' as const, content: `Answer number ${i}: the ocean is wide and the ships are many.` },
  ]).flat();

t.test('the system prompt survives truncation; the oldest turns go first', async (t) => {
  const system: ChatTurn = { role: 'system', content: 'SYSTEM-RULES: be brief.' };
  const messages = [system, ...history(12), { role: 'user' as const, content: 'NEWEST question?' }];
  const plan = await engine.plan(messages);
  t.ok(plan.prompt.startsWith('<|system|>\nSYSTEM-RULES: be brief.</s>'), 'system prompt kept');
  t.ok(plan.prompt.endsWith('<|user|>\nNEWEST question?</s>\n<|assistant|>\n'), 'new message kept');
  t.ok(plan.droppedMessages > 0, `dropped ${plan.droppedMessages}`);
  t.equal(plan.includedMessages + plan.droppedMessages, messages.length);
  t.ok(plan.promptTokens <= CONTEXT_SIZE - MAX_TOKENS, `${plan.promptTokens} tokens fit the budget`);
  t.notOk(plan.prompt.includes('number 0:'), 'the oldest turn was dropped');
  t.ok(plan.prompt.includes('Answer number 11:'), 'the newest history was kept');
  // Kept history starts at a user turn, so user/assistant alternation survives.
  t.ok(plan.prompt.startsWith('<|system|>\nSYSTEM-RULES: be brief.</s>\n<|user|>\n'));

  // A smaller answer budget leaves room for more history.
  const roomier = await engine.plan(messages, { maxTokens: 8 });
  t.ok(roomier.droppedMessages < plan.droppedMessages);

  const answer = await done({ userId: 'u', messages, options: { maxTokens: 4 } });
  t.match(answer.context, { includedMessages: roomier.includedMessages, droppedMessages: roomier.droppedMessages });
});

t.test('a repeated plan is answered on the main thread, the same plan for the same messages', async (t) => {
  const messages: ChatTurn[] = [{ role: 'user', content: 'Plan me once' }];
  const first = await engine.plan(messages);
  t.equal(
    await engine.plan([{ role: 'user', content: 'Plan me once' }]),
    first,
    'the remembered plan, not a new one from the worker',
  );
  t.not(await engine.plan(messages, { maxTokens: 8 }), first, 'another answer budget is another plan');
  t.not(await engine.plan([{ role: 'user', content: 'Plan me twice' }]), first);
});

t.test('a message that alone cannot fit is context_overflow, never a silent cut', async (t) => {
  const huge = [{ role: 'user' as const, content: 'ocean '.repeat(400) }];
  t.type(await engine.plan(huge).catch((error: unknown) => error), EngineError);
  await t.rejects(engine.plan(huge), { code: 'context_overflow', message: /Shorten it by at least \d+ tokens/ });
  await t.rejects(done({ userId: 'u', messages: huge }), { code: 'context_overflow' });
  // It fits without the system prompt's tokens... but the system prompt is never dropped.
  const almost = [
    { role: 'system' as const, content: 'rules '.repeat(150) },
    { role: 'user' as const, content: 'ocean '.repeat(60) },
  ];
  await t.rejects(engine.plan(almost), { code: 'context_overflow', message: /system prompt/ });
});

t.test('a follow-up turn evaluates only its new tokens; the sequence goes to the least recently used', async (t) => {
  const turn1: ChatTurn[] = [
    { role: 'system', content: 'S' },
    { role: 'user', content: 'Tell me about ships.' },
  ];
  const first = await done({ userId: 'u', sessionKey: 'conversation-a', messages: turn1, options: { maxTokens: 8 } });
  const turn2: ChatTurn[] = [
    ...turn1,
    { role: 'assistant', content: 'Ships float.' },
    { role: 'user', content: 'And boats?' },
  ];
  const second = await done({ userId: 'u', sessionKey: 'conversation-a', messages: turn2, options: { maxTokens: 8 } });
  // The sequence last held another conversation: at most a shared template prefix is reused.
  t.ok(first.usage.cachedPromptTokens! < first.usage.promptTokens / 2);
  t.ok(
    second.usage.cachedPromptTokens! >= first.usage.promptTokens - 1,
    `reused ${second.usage.cachedPromptTokens} of ${second.usage.promptTokens}`,
  );
  t.ok(
    second.usage.promptTokens - second.usage.cachedPromptTokens! < second.usage.promptTokens / 2,
    'evaluated only the new part',
  );

  // Another conversation takes the only sequence; coming back means evaluating everything again.
  const other = await done({
    userId: 'u',
    sessionKey: 'conversation-b',
    messages: [{ role: 'user', content: 'Hello' }],
    options: { maxTokens: 4 },
  });
  t.ok(other.usage.cachedPromptTokens! < 5, 'only a shared template prefix of A reused for B');
  const again = await done({ userId: 'u', sessionKey: 'conversation-a', messages: turn2, options: { maxTokens: 4 } });
  t.ok(again.usage.cachedPromptTokens! < first.usage.promptTokens - 1, 'A was evicted');
});
