import path from 'node:path';
import t from 'tap';
import { testConfig } from '../../helpers/config.js';
import { createEngine, EngineError, type GenerateEvent, type GenerateRequest } from '../../../server/engine/engine.js';

const ZEPHYR = path.resolve(import.meta.dirname, '../../fixtures/models/tiny-random-zephyr.gguf');

type Engine = ReturnType<typeof createEngine>;
interface Stamped {
  name: string;
  event: GenerateEvent;
  active: number;
}

/** Runs a request, appending its events to a shared, ordered log, with the active sequence count then. */
async function run(engine: Engine, name: string, request: GenerateRequest, log: Stamped[], signal?: AbortSignal) {
  for await (const event of engine.generate(request, signal))
    log.push({ name, event, active: engine.stats().activeSequences });
}

const ask = (userId: string, content: string, maxTokens: number): GenerateRequest => ({
  userId,
  messages: [{ role: 'user', content }],
  options: { temperature: 0, repeatPenalty: 1, maxTokens },
});

t.test('4 concurrent requests all complete, decoded together in one batch', async (t) => {
  const engine = createEngine(
    testConfig({ modelPath: ZEPHYR, contextSize: 256, parallel: 4, threads: 1, maxTokens: 64 }),
  );
  t.teardown(() => engine.close());
  await engine.ready();
  const log: Stamped[] = [];
  const names = ['a', 'b', 'c', 'd'];
  await Promise.all(names.map((name, i) => run(engine, name, ask(`user-${i}`, `Tell me story number ${i}`, 48), log)));

  const dones = log.filter((s) => s.event.type === 'done');
  t.equal(dones.length, 4, 'all four finished');
  for (const { event } of dones) t.match(event, { finishReason: /stop|length/, usage: { completionTokens: Number } });
  t.notOk(
    log.some((s) => s.event.type === 'queued'),
    'nobody waited: 4 sequences for 4 requests',
  );

  const firstDone = log.findIndex((s) => s.event.type === 'done');
  const starts = log.map((s, i) => (s.event.type === 'start' ? i : -1)).filter((i) => i >= 0);
  t.equal(starts.length, 4);
  t.ok(
    starts.every((i) => i < firstDone),
    'all four were generating before any finished',
  );
  const tokenOrder = log.filter((s) => s.event.type === 'token').map((s) => s.name);
  const switches = tokenOrder.filter((name, i) => i > 0 && name !== tokenOrder[i - 1]).length;
  t.ok(switches >= 12, `token streams interleave (${switches} switches between requests)`);
  t.equal(Math.max(...log.map((s) => s.active)), 4, 'four sequences active at once');
  t.equal(engine.stats().activeSequences, 0);
});

t.test('with one sequence, queued requests of two users are served alternately', async (t) => {
  const engine = createEngine(
    testConfig({ modelPath: ZEPHYR, contextSize: 4096, parallel: 1, threads: 1, maxTokens: 4000, maxQueue: 5 }),
  );
  t.teardown(() => engine.close());
  await engine.ready();
  const log: Stamped[] = [];
  const blocker = new AbortController();
  const blocking = run(engine, 'x', ask('user-x', 'Go on and on', 4000), log, blocker.signal);
  await waitFor(() => log.some((s) => s.name === 'x' && s.event.type === 'token'));

  const lastPosition = (name: string) => log.filter((s) => s.name === name && s.event.type === 'queued').at(-1)?.event;

  // A waiting request that is aborted leaves the queue and ends without starting.
  const leaving = new AbortController();
  const left = run(engine, 'c2', ask('user-c', 'Never mind', 2), log, leaving.signal);
  await waitFor(() => lastPosition('c2') !== undefined);
  leaving.abort();
  await left;
  t.same(
    log.filter((s) => s.name === 'c2').map((s) => s.event.type),
    ['queued', 'done'],
  );
  t.match(log.filter((s) => s.name === 'c2').at(-1)?.event, { finishReason: 'abort', usage: { completionTokens: 0 } });

  const names = ['a1', 'a2', 'a3', 'b1', 'b2'];
  const queued = names.map((name) => run(engine, name, ask(`user-${name[0]}`, `Request ${name}`, 2), log));
  await waitFor(() => names.every((name) => lastPosition(name) !== undefined) && engine.stats().queueDepth === 5);
  t.same(
    ['a1', 'b1', 'a2', 'b2', 'a3'].map((name) => (lastPosition(name) as { position: number }).position),
    [1, 2, 3, 4, 5],
    'positions round-robin by user',
  );

  // Past MAX_QUEUE: busy, with a hint of when to retry. (The newcomer is user-a, the user holding
  // the most: another user's request would instead have made room by evicting a3.)
  const busy = await run(engine, 'a4', ask('user-a', 'One too many', 2), log).catch((error: unknown) => error);
  t.type(busy, EngineError);
  t.match(busy, { code: 'busy', retryAfterMs: Number });

  blocker.abort();
  await Promise.all([blocking, ...queued]);
  const startOrder = log.filter((s) => s.event.type === 'start' && s.name !== 'x').map((s) => s.name);
  t.same(startOrder, ['a1', 'b1', 'a2', 'b2', 'a3'], 'served alternately, not first-come');
  const a3Positions = log
    .filter((s) => s.name === 'a3' && s.event.type === 'queued')
    .map((s) => (s.event as { position: number }).position);
  t.same(a3Positions, [3, 4, 5, 4, 3, 2, 1], 'position updates as others join before it and as the queue moves');
  t.match(log.find((s) => s.name === 'x' && s.event.type === 'done')?.event, { finishReason: 'abort' });
});

async function waitFor(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('timed out waiting for a condition');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
