import t, { type Test } from 'tap';
import { testConfig } from '../../helpers/config.js';
import { TINY_ZEPHYR } from '../../helpers/models.js';
import { createEngine, EngineError, type GenerateEvent, type GenerateRequest } from '../../../server/engine/engine.js';

type Engine = ReturnType<typeof createEngine>;

/** One request's outcome: its events, or the error it ended with. */
interface Outcome {
  events: GenerateEvent[];
  error?: unknown;
}

function start(engine: Engine, userId: string, maxTokens: number, signal?: AbortSignal) {
  const outcome: Outcome = { events: [] };
  const request: GenerateRequest = {
    userId,
    messages: [{ role: 'user', content: `Talk, ${userId}` }],
    options: { temperature: 0, repeatPenalty: 1, maxTokens },
  };
  const ended = (async () => {
    try {
      for await (const event of engine.generate(request, signal)) outcome.events.push(event);
    } catch (error) {
      outcome.error = error;
    }
  })();
  return { outcome, ended };
}

async function waitFor(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('timed out waiting for a condition');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function startEngine(t: Test, maxQueue: number, maxPerUser: number): Promise<Engine> {
  const engine = createEngine(
    testConfig({
      modelPath: TINY_ZEPHYR,
      contextSize: 4096,
      parallel: 1,
      threads: 1,
      maxTokens: 4000,
      maxQueue,
      maxPerUser,
    }),
  );
  t.teardown(() => engine.close());
  await engine.ready();
  return engine;
}

/** A request that holds the one sequence until aborted. */
async function block(engine: Engine, userId: string) {
  const stop = new AbortController();
  const blocker = start(engine, userId, 4000, stop.signal);
  await waitFor(() => blocker.outcome.events.some((e) => e.type === 'token'));
  return { ...blocker, stop: () => stop.abort() };
}

t.test('one user cannot fill the queue: the per-user cap counts queued and running', async (t) => {
  const engine = await startEngine(t, 8, 4);
  const blocker = await block(engine, 'user-a'); // running: 1 of user-a's 4
  const burst = Array.from({ length: 36 }, () => start(engine, 'user-a', 2)); // 9 sockets × 4
  await waitFor(() => burst.filter((r) => r.outcome.error).length === 33);
  t.equal(engine.stats().queueDepth, 3, 'user-a holds 3 queued + 1 running');
  const refused = burst.find((r) => r.outcome.error)!.outcome.error;
  t.type(refused, EngineError);
  t.match(refused, { code: 'busy', message: /per-user limit/, retryAfterMs: Number });
  t.match(engine.refusal('user-a'), { code: 'busy', message: /per-user limit/ }, 'the advisory check agrees');
  t.equal(engine.refusal('user-b'), undefined);

  const other = start(engine, 'user-b', 2);
  await waitFor(() => other.outcome.events.some((e) => e.type === 'queued'));
  t.notOk(other.outcome.error, 'another user still gets in line');
  blocker.stop();
  await Promise.all([blocker.ended, other.ended, ...burst.map((r) => r.ended)]);
  t.match(other.outcome.events.at(-1), { type: 'done' });
  t.equal(engine.refusal('user-a'), undefined, 'finished requests no longer count');
});

t.test('a full queue refuses the newest request of the user holding the most, not the newcomer', async (t) => {
  const engine = await startEngine(t, 3, 10);
  const blocker = await block(engine, 'user-x');
  const a = [1, 2, 3].map(() => start(engine, 'user-a', 2));
  await waitFor(() => engine.stats().queueDepth === 3);

  t.equal(engine.refusal('user-b'), undefined, 'user-b would be admitted');
  const b = start(engine, 'user-b', 2);
  await waitFor(() => a[2]!.outcome.error !== undefined);
  t.match(a[2]!.outcome.error, { code: 'busy', message: /made room/, retryAfterMs: Number }, 'a3 was evicted');
  t.notOk(a[0]!.outcome.error ?? a[1]!.outcome.error, "user-a's older requests keep their place");
  await waitFor(() => b.outcome.events.some((e) => e.type === 'queued'));
  t.notOk(b.outcome.error, 'the newcomer waits instead');

  // Queued now: a1 a2 b1. Another user-a request would leave user-a holding the most: refused.
  const a4 = start(engine, 'user-a', 2);
  await a4.ended;
  t.match(a4.outcome.error, { code: 'busy', message: /already waiting/ });
  // user-c evicts a2 (user-a 2 queued vs user-c 0); then user-d finds everyone at 1: refused.
  const c = start(engine, 'user-c', 2);
  await waitFor(() => a[1]!.outcome.error !== undefined);
  t.match(engine.refusal('user-d'), { code: 'busy' });
  const d = start(engine, 'user-d', 2);
  await d.ended;
  t.match(d.outcome.error, { code: 'busy' }, 'with the queue evenly shared, the newcomer is refused');

  blocker.stop();
  await Promise.all([blocker.ended, b.ended, c.ended, ...a.map((r) => r.ended)]);
  for (const served of [a[0]!, b, c]) t.match(served.outcome.events.at(-1), { type: 'done' });
});
