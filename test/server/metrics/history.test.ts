import t from 'tap';
import { createMetricsHistory, type HistorySources } from '../../../server/metrics/history.js';

function fakeHistory(capacity: number) {
  const state = { clock: Date.UTC(2025, 0, 1), tokens: 0, queueDepth: 0, sessions: 0 };
  const sources: HistorySources = {
    inference: () => ({ tokensGenerated: state.tokens, queueDepth: state.queueDepth }),
    activeSessions: () => state.sessions,
    cpuPercent: () => 12.5,
    memory: () => ({ usedBytes: 1000, processRssBytes: 500 }),
  };
  const history = createMetricsHistory({ sources, capacity, intervalSec: 5, now: () => state.clock });
  const tick = () => {
    state.clock += 5000;
    return history.sample();
  };
  return { history, state, tick };
}

t.test('samples carry every field; throughput is tokens per second over the interval', async (t) => {
  const { history, state, tick } = fakeHistory(10);
  const first = history.sample();
  t.same(first, {
    at: '2025-01-01T00:00:00.000Z',
    cpuPercent: 12.5,
    memoryUsedBytes: 1000,
    processRssBytes: 500,
    tokensPerSecond: 0,
    queueDepth: 0,
    activeSessions: 0,
  });
  state.tokens = 50;
  state.queueDepth = 2;
  state.sessions = 3;
  t.match(tick(), { tokensPerSecond: 10, queueDepth: 2, activeSessions: 3, at: '2025-01-01T00:00:05.000Z' });
  t.match(tick(), { tokensPerSecond: 0 }, 'nothing generated in this interval');
  state.tokens = 10; // the engine restarted and its totals began again
  t.match(tick(), { tokensPerSecond: 0 });
  state.tokens = 35;
  t.match(tick(), { tokensPerSecond: 5 });
});

t.test('the buffer grows to its capacity, then drops the oldest', async (t) => {
  const { history, tick } = fakeHistory(3);
  t.same(history.snapshot(), { intervalSec: 5, samples: [] });
  tick();
  tick();
  t.equal(history.snapshot().samples.length, 2);
  const ats = [tick(), tick(), tick()].map((s) => s.at);
  const { samples } = history.snapshot();
  t.equal(samples.length, 3);
  t.same(
    samples.map((s) => s.at),
    ats,
    'the last three, oldest first',
  );
});

t.test('a failing source records zeros instead of throwing', async (t) => {
  const history = createMetricsHistory({
    sources: {
      inference: () => {
        throw new Error('engine restarting');
      },
      activeSessions: () => 1,
    },
    capacity: 2,
  });
  const point = history.sample();
  t.match(point, { tokensPerSecond: 0, queueDepth: 0, activeSessions: 1 });
  t.ok(point.cpuPercent >= 0 && point.cpuPercent <= 100, 'default cpu source');
  t.ok(point.memoryUsedBytes > 0 && point.processRssBytes > 0, 'default memory source');
});

t.test('start samples at once, is idempotent, and stop ends the timer', async (t) => {
  const { history } = fakeHistory(5);
  history.start();
  history.start();
  t.equal(history.snapshot().samples.length, 1);
  history.stop();
  history.stop();
});

t.test('the defaults keep one hour at 5 s', async (t) => {
  const history = createMetricsHistory({
    sources: { inference: () => ({ tokensGenerated: 0, queueDepth: 0 }), activeSessions: () => 0, cpuPercent: () => 0 },
  });
  for (let i = 0; i < 800; i += 1) history.sample();
  const { intervalSec, samples } = history.snapshot();
  t.equal(intervalSec, 5);
  t.equal(samples.length, 720);
});
