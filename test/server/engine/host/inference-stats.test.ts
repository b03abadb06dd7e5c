import t from 'tap';
import type { GenerateEvent } from '../../../../server/engine/engine.js';
import { EventChannel } from '../../../../server/engine/host/event-channel.js';
import { InFlight } from '../../../../server/engine/host/in-flight.js';
import { InferenceStats } from '../../../../server/engine/host/inference-stats.js';
import { createMetricsHistory } from '../../../../server/metrics/history.js';

/** One generation in flight, fed worker messages by hand: no model needed. */
function streaming() {
  const stats = new InferenceStats();
  const inFlight = new InFlight(stats, () => undefined);
  const channel = new EventChannel<GenerateEvent>();
  const id = inFlight.addGeneration({ channel, release: () => undefined, arrivedAt: 0, dispatchedAt: 0 });
  const token = (text: string) => inFlight.receive({ type: 'token', id, text });
  const done = (completionTokens: number) =>
    inFlight.receive({
      type: 'done',
      id,
      finishReason: 'length',
      promptTokens: 5,
      cachedPromptTokens: 0,
      completionTokens,
      firstTokenAt: 1,
      lastTokenAt: 2,
      includedMessages: 1,
      droppedMessages: 0,
    });
  return { stats, token, done };
}

t.test('tokens are counted as they are generated, not only when the answer ends', async (t) => {
  const { stats, token, done } = streaming();
  token('Hel');
  token('lo');
  t.equal(stats.snapshot().tokensGenerated, 2, 'counted while the answer streams');
  token(' there');
  // Text held back by a stop string can arrive as one message of several tokens: the end tops up.
  done(7);
  t.equal(stats.snapshot().tokensGenerated, 7, 'the exact count once it ended');
});

t.test('the admin throughput history is nonzero while an answer streams', async (t) => {
  const { stats, token } = streaming();
  let clock = Date.UTC(2025, 0, 1);
  const history = createMetricsHistory({
    sources: {
      inference: () => ({ tokensGenerated: stats.snapshot().tokensGenerated, queueDepth: 0 }),
      activeSessions: () => 1,
      cpuPercent: () => 0,
      memory: () => ({ usedBytes: 0, processRssBytes: 0 }),
    },
    now: () => clock,
  });
  history.sample();
  for (let i = 0; i < 50; i++) token('x');
  clock += 5000;
  t.equal(history.sample().tokensPerSecond, 10, '50 tokens in 5 s, before the answer ended');
});
