import t from 'tap';
import { parseStatusKb } from '../../../tools/bench/proc-memory.js';
import { atLeast, atMost, formatTable, formatValue, type Row } from '../../../tools/bench/report.js';
import { buildRows } from '../../../tools/bench/rows.js';
import type { BenchResults } from '../../../tools/bench/results.js';
import { aggregateRate, decodeRate, median, percentile, ratio, summarize } from '../../../tools/bench/stats.js';

t.test('percentile interpolates between closest ranks, whatever the input order', async (t) => {
  const samples = [40, 10, 30, 20];
  t.equal(percentile(samples, 0), 10);
  t.equal(percentile(samples, 100), 40);
  t.equal(percentile(samples, 50), 25);
  t.equal(percentile(samples, 95), 38.5);
  t.equal(percentile([7], 99), 7, 'one sample is every percentile');
  t.equal(percentile([], 50), null, 'no samples, no figure');
  t.equal(percentile([1, Number.NaN, 3], 50), 2, 'non-finite samples are ignored');
  t.same(samples, [40, 10, 30, 20], 'the input is not sorted in place');
  t.throws(() => percentile(samples, 101), RangeError);
});

t.test('median, ratio, decode rate and summary on fixed inputs', async (t) => {
  t.equal(median([5, 1, 3]), 3);
  t.equal(ratio(3, 4), 0.75);
  t.equal(ratio(3, 0), null, 'a zero baseline gives no ratio');
  t.equal(ratio(null, 4), null);
  t.equal(decodeRate(65, 1000, 3000), 32, '64 tokens after the first in 2 s');
  t.equal(decodeRate(1, 1000, 1000), null, 'one token has no rate');
  t.equal(decodeRate(10, null, 2000), null);
  t.equal(
    aggregateRate([
      { completionTokens: 64, wallMs: 2000 },
      { completionTokens: 64, wallMs: 2000 },
    ]),
    32,
    'all tokens over all wall time',
  );
  t.equal(aggregateRate([]), null);
  const hundred = Array.from({ length: 101 }, (_, i) => 100 - i);
  t.same(summarize(hundred), { n: 101, min: 0, p50: 50, p95: 95, p99: 99, max: 100 });
});

t.test('values are rounded for reading, with their unit', async (t) => {
  t.equal(formatValue(21.934, 'tok/s'), '21.9 tok/s');
  t.equal(formatValue(572.4, 'ms'), '572 ms');
  t.equal(formatValue(4.567, 'ms'), '4.57 ms');
  t.equal(formatValue(0.9712, 'x'), '0.97x');
  t.equal(formatValue(1157.6, 'MiB'), '1158 MiB');
  t.equal(formatValue(null, 'ms'), '–');
  t.equal(atLeast(0.97, 0.97), true);
  t.equal(atMost(1801, 1800), false);
  t.equal(atMost(null, 1800), null);
});

t.test('the table is Markdown with padded columns and the phase written once', async (t) => {
  const rows: Row[] = [
    { phase: 'single', measure: 'direct', value: 20, unit: 'tok/s' },
    {
      phase: 'single',
      measure: 'portal',
      value: 19.5,
      unit: 'tok/s',
      baseline: { label: 'direct', value: 20 },
      ratio: 0.98,
      target: '>= 0.97x',
      met: true,
    },
    { phase: 'memory', measure: 'peak RSS', value: null, unit: 'MiB', target: '<= 1434 MiB', met: null },
  ];
  t.equal(
    formatTable(rows),
    [
      '| phase  | measure  | value      | baseline (same run) | ratio | target      | met |',
      '|--------|----------|------------|---------------------|-------|-------------|-----|',
      '| single | direct   | 20.0 tok/s |                     |       |             |     |',
      '|        | portal   | 19.5 tok/s | direct 20.0 tok/s   | 0.98x | >= 0.97x    | yes |',
      '| memory | peak RSS | –          |                     |       | <= 1434 MiB | ?   |',
    ].join('\n'),
  );
});

t.test('rows judge the targets against baselines of the same run', async (t) => {
  const stream = (ttftMs: number, decodeTokensPerSecond: number) => ({
    promptTokens: 25,
    reusedTokens: 0,
    completionTokens: 64,
    ttftMs,
    decodeTokensPerSecond,
    totalMs: 3000,
    textChars: 100,
  });
  const portal = (ttftMs: number, decodeTokensPerSecond: number) => ({
    ttftMs,
    decodeTokensPerSecond,
    totalMs: 3000,
    completionTokens: 64,
    promptTokens: 25,
    cachedPromptTokens: 0,
    tokenFrames: 64,
    finishReason: 'length',
    cached: false,
    server: { queueMs: 0, ttftMs: ttftMs - 10, totalMs: 2990, tokensPerSecond: 20 },
    error: null,
  });
  const results: BenchResults = {
    setup: {
      mode: 'full',
      model: 'm.gguf',
      modelBytes: 1,
      threads: 2,
      contextSize: 2048,
      parallel: 4,
      maxTokens: 64,
      prompt: 'p',
      promptTokens: 25,
    },
    machine: { cores: 2, cpuModel: 'cpu', memoryGiB: 8, node: 'v20', platform: 'linux', loadStart: 1 },
    startedAt: '2026-01-01T00:00:00.000Z',
    direct: { loadMs: 1, memory: { vmHwmBytes: 1000 * 1024 * 1024, vmRssBytes: null } },
    single: {
      cold: { direct: [stream(500, 20), stream(520, 22)], portal: [portal(540, 19), portal(560, 21)] },
      warm: { direct: [stream(50, 20)], portal: [portal(100, 20)] },
      directNoPenalty: [stream(50, 24)],
    },
    portalMemory: { vmHwmBytes: 1500 * 1024 * 1024, vmRssBytes: null },
    failures: [],
  };
  const rows = buildRows(results);
  const find = (measure: string) => rows.find((row) => row.measure === measure)!;
  t.equal(find('decode, portal over WebSocket').ratio, 1, 'median 20 over median 20');
  t.equal(find('decode, portal over WebSocket').met, true);
  t.equal(find('TTFT whole prompt, portal').met, false, '550 ms is 40 ms over direct');
  t.equal(find('TTFT prompt prefix reused, portal').met, false, '100 ms is 50 ms over direct');
  t.equal(find('portal TTFT outside the engine').value, 10);
  t.equal(find('peak RSS, portal (PARALLEL=4)').met, false, '1500 MiB is over 1.4 GiB');
  t.equal(find('peak RSS, portal (PARALLEL=4)').ratio, 1.5);

  // Three conversations of 10 turns: turn figures are medians across them.
  const turn = (conversation: number, n: number, ttftMs: number, evaluated: number) => ({
    ...portal(ttftMs, 20),
    turn: n,
    conversation,
    promptTokens: 100 * n,
    cachedPromptTokens: 100 * n - evaluated,
  });
  const conversation = [0, 1, 2].flatMap((c) => [
    turn(c, 1, [400, 500, 900][c]!, 22),
    turn(c, 10, [600, 640, 700][c]!, 33),
  ]);
  const turns = buildRows({ ...results, conversation });
  const row = (measure: string) => turns.find((r) => r.measure === measure)!;
  t.equal(row('turn 1: TTFT (median of 3)').value, 500);
  t.equal(row('turn 10: TTFT (median of 3)').value, 640);
  t.equal(row('turn 10: TTFT (median of 3)').ratio, 1.28);
  t.equal(row('turn 10: TTFT (median of 3)').met, true, '1.28x is within 1.3x');
  t.match(row('turn 10: prompt tokens evaluated'), { value: 33, baseline: { label: 'turn 1', value: 22 }, ratio: 1.5 });
  // The same conversations with a reading pause are judged as their own phase.
  const reading = buildRows({
    ...results,
    setup: { ...results.setup, readingMs: 1000 },
    conversationReading: conversation.map((c) => ({ ...c, ttftMs: c.ttftMs! * 2 })),
  });
  const readingRows = reading.filter((r) => r.phase === 'conversation, 1000 ms reading');
  t.equal(readingRows.length, 3);
  t.match(readingRows[1], { measure: 'turn 10: TTFT (median of 3)', value: 1280, ratio: 1.28, met: true });

  // Cache hits: back to back and in bursts, each judged on its own p99.
  const hundred = (from: number) => Array.from({ length: 100 }, (_, i) => from + i / 10);
  const cacheMemory = {
    backend: 'memory',
    sockets: 8,
    latenciesMs: hundred(10),
    warmupMs: hundred(20),
    aloneMs: [1],
    burstMs: hundred(0),
    serverMs: [0.2],
    misses: 0,
    errors: 0,
    pingsMs: [0.5],
  };
  const cacheRows = buildRows({ ...results, cacheMemory });
  const cache = (measure: string) => cacheRows.find((r) => r.measure === measure)!;
  t.equal(cache('memory p99').met, false, 'back to back: 19.9 ms');
  t.equal(cache('memory, 8 at once: p99').met, true, 'bursts: 9.8 ms is under 10');
  const warmup = cache('memory, first 100 answers (warm-up) p99');
  t.ok(warmup.value! > 29.7 && warmup.value! <= 29.9, 'the warm-up is shown');
  t.equal(warmup.met, undefined, 'and not judged');
});

t.test('VmHWM is read from /proc/<pid>/status text', async (t) => {
  const status = 'Name:\tnode\nVmPeak:\t 2000 kB\nVmHWM:\t  1234 kB\nVmRSS:\t   999 kB\n';
  t.equal(parseStatusKb(status, 'VmHWM'), 1234 * 1024);
  t.equal(parseStatusKb(status, 'VmRSS'), 999 * 1024);
  t.equal(parseStatusKb(status, 'VmSwap'), null);
});
