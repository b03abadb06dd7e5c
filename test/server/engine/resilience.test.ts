import path from 'node:path';
import t from 'tap';
import { testConfig } from '../../helpers/config.js';
import { createEngine, type GenerateEvent, type GenerateRequest } from '../../../server/engine/engine.js';

const ZEPHYR = path.resolve(import.meta.dirname, '../../fixtures/models/tiny-random-zephyr.gguf');

const engine = createEngine(
  testConfig({ modelPath: ZEPHYR, contextSize: 2048, parallel: 2, threads: 1, maxTokens: 2000 }),
);
t.teardown(() => engine.close());

const ask = (maxTokens: number): GenerateRequest => ({
  userId: 'u',
  messages: [{ role: 'user', content: 'Keep talking' }],
  options: { maxTokens },
});

async function answer(request: GenerateRequest) {
  const events: GenerateEvent[] = [];
  for await (const event of engine.generate(request)) events.push(event);
  return events.at(-1);
}

t.test(
  'a worker that dies mid-answer fails that answer clearly, is replaced, and the next request succeeds',
  async (t) => {
    t.equal((await engine.ready()).state, 'ready');
    const events: GenerateEvent[] = [];
    const failure = await (async () => {
      for await (const event of engine.generate(ask(2000))) {
        events.push(event);
        if (event.type === 'token' && events.filter((e) => e.type === 'token').length === 1)
          engine.crashWorkerForTest('throw');
      }
    })().catch((error: unknown) => error);
    t.match(failure, {
      name: 'EngineError',
      code: 'internal',
      message: /inference worker stopped unexpectedly.*try again/i,
    });
    t.ok(
      events.some((e) => e.type === 'token'),
      'it had been streaming',
    );
    t.notOk(events.some((e) => e.type === 'done'));
    t.equal(engine.status().state, 'restarting');

    // A request made while the worker restarts waits for it instead of failing.
    t.match(await answer(ask(5)), { type: 'done', finishReason: 'length', usage: { completionTokens: 5 } });
    t.equal(engine.status().state, 'ready');
    t.match(engine.stats(), { workerRestarts: 1, activeSequences: 0, failures: 1 });
    t.equal(engine.model().loaded, true);
  },
);

t.test('a worker that exits while idle is replaced too', async (t) => {
  engine.crashWorkerForTest('exit');
  await waitFor(() => engine.status().state === 'restarting');
  t.match(await answer(ask(3)), { type: 'done', usage: { completionTokens: 3 } });
  t.match(engine.stats(), { workerRestarts: 2 });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 3000 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  if (!condition()) throw new Error('timed out waiting for a condition');
}
