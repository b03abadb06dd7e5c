/**
 * Turns a run's results into the table's rows: each figure next to its baseline from the same
 * run, with the engine's and the cache's targets judged where they apply.
 */
import { apiRows } from './api-rows.js';
import { cacheRows } from './cache-rows.js';
import { atLeast, atMost, type Row } from './report.js';
import { decode, ttft, values } from './stream-figures.js';
import type { BenchResults } from './results.js';
import { aggregateRate, median, percentile, ratio } from './stats.js';

const MIB = 1024 * 1024;

export function buildRows(results: BenchResults): Row[] {
  return [
    ...singleRows(results),
    ...apiRows(results),
    ...concurrencyRows(results),
    ...conversationRows(results.conversation, 'conversation'),
    ...conversationRows(results.conversationReading, `conversation, ${results.setup.readingMs ?? 1000} ms reading`),
    ...cacheRows(results),
    ...restRows(results),
    ...memoryRows(results),
    ...llamaServerRows(results),
  ];
}

function singleRows({ single }: BenchResults): Row[] {
  if (!single) return [];
  const phase = 'single stream';
  const direct = [...single.cold.direct, ...single.warm.direct];
  const portal = [...single.cold.portal, ...single.warm.portal];
  const directRate = decode(direct);
  const portalRate = decode(portal);
  const noPenalty = decode(single.directNoPenalty);
  const ttftRow = (measure: string, kind: 'cold' | 'warm'): Row[] => {
    const d = ttft(single[kind].direct);
    const p = ttft(single[kind].portal);
    return [
      { phase, measure: `TTFT ${measure}, direct`, value: d, unit: 'ms' },
      {
        phase,
        measure: `TTFT ${measure}, portal`,
        value: p,
        unit: 'ms',
        baseline: { label: 'direct', value: d },
        ratio: ratio(p, d),
        target: '<= direct + 30 ms',
        met: p === null || d === null ? null : p - d <= 30,
      },
    ];
  };
  const outside = median(portal.filter((s) => s.server && s.ttftMs !== null).map((s) => s.ttftMs! - s.server!.ttftMs));
  return [
    { phase, measure: 'decode, direct node-llama-cpp', value: directRate, unit: 'tok/s' },
    {
      phase,
      measure: 'decode, portal over WebSocket',
      value: portalRate,
      unit: 'tok/s',
      baseline: { label: 'direct', value: directRate },
      ratio: ratio(portalRate, directRate),
      target: '>= 0.97x direct',
      met: atLeast(ratio(portalRate, directRate), 0.97),
    },
    {
      phase,
      measure: 'decode, direct, no repeat penalty',
      value: noPenalty,
      unit: 'tok/s',
      baseline: { label: 'direct', value: directRate },
      ratio: ratio(noPenalty, directRate),
    },
    ...ttftRow('whole prompt', 'cold'),
    ...ttftRow('prompt prefix reused', 'warm'),
    { phase, measure: 'portal TTFT outside the engine', value: outside, unit: 'ms' },
  ];
}

function concurrencyRows({ concurrency, setup }: BenchResults): Row[] {
  if (!concurrency) return [];
  const phase = 'concurrent clients';
  const single = concurrency.levels.find((l) => l.clients === 1);
  const singleRate = single ? aggregateRate([single]) : null;
  const direct = concurrency.direct.length > 0 ? concurrency.direct : null;
  const directRate = direct ? aggregateRate(direct) : null;
  const directTtft = direct ? ttft(direct.flatMap((run) => run.streams)) : null;
  const rows: Row[] = [];
  for (const level of concurrency.levels) {
    const n = level.clients;
    const rate = aggregateRate([level]);
    const ttfts = values(level.streams, 'ttftMs');
    const p50 = percentile(ttfts, 50);
    const isParallel = n === setup.parallel;
    rows.push(
      n === 1
        ? { phase, measure: '1 client: aggregate', value: rate, unit: 'tok/s' as const }
        : {
            phase,
            measure: `${n} clients: aggregate`,
            value: rate,
            unit: 'tok/s',
            baseline: { label: '1 client', value: singleRate },
            ratio: ratio(rate, singleRate),
            ...(isParallel ? { target: '>= 0.95x 1 client', met: atLeast(ratio(rate, singleRate), 0.95) } : {}),
          },
    );
    if (isParallel && direct)
      rows.push({
        phase,
        measure: `${n} clients: aggregate vs direct`,
        value: rate,
        unit: 'tok/s',
        baseline: { label: `direct ${n} streams`, value: directRate },
        ratio: ratio(rate, directRate),
      });
    const who = n === 1 ? '1 client' : `${n} clients`;
    rows.push(
      isParallel
        ? {
            phase,
            measure: `${n} clients: TTFT p50`,
            value: p50,
            unit: 'ms',
            baseline: { label: `direct ${n} streams`, value: directTtft },
            ratio: ratio(p50, directTtft),
            target: '<= 1800 ms',
            met: atMost(p50, 1800),
          }
        : { phase, measure: `${who}: TTFT p50`, value: p50, unit: 'ms' },
      { phase, measure: `${who}: TTFT p95`, value: percentile(ttfts, 95), unit: 'ms' },
    );
  }
  const late = concurrency.lateJoin;
  const together = ttft(concurrency.levels.find((l) => l.clients === setup.parallel)?.streams ?? []);
  if (late)
    rows.push({
      phase,
      measure: `joins ${late.afterMs} ms after ${late.early.length} others: TTFT`,
      value: late.late.ttftMs,
      unit: 'ms',
      baseline: { label: `${setup.parallel} together`, value: together },
      ratio: ratio(late.late.ttftMs, together),
    });
  return rows;
}

function conversationRows(conversation: BenchResults['conversation'], phase: string): Row[] {
  if (!conversation || conversation.length === 0) return [];
  const lastTurn = Math.max(...conversation.map((t) => t.turn));
  const ofTurn = (turn: number) => conversation.filter((t) => t.turn === turn);
  const ttft = (turn: number) => median(ofTurn(turn).flatMap((t) => (t.ttftMs === null ? [] : [t.ttftMs])));
  const first = ttft(1);
  const last = ttft(lastTurn);
  const evaluated = (turn: number) => median(ofTurn(turn).map((t) => t.promptTokens - t.cachedPromptTokens));
  const samples = ofTurn(1).length;
  const label = samples > 1 ? ` (median of ${samples})` : '';
  return [
    { phase, measure: `turn 1: TTFT${label}`, value: first, unit: 'ms' },
    {
      phase,
      measure: `turn ${lastTurn}: TTFT${label}`,
      value: last,
      unit: 'ms',
      baseline: { label: 'turn 1', value: first },
      ratio: ratio(last, first),
      target: '<= 1.3x turn 1',
      met: atMost(ratio(last, first), 1.3),
    },
    {
      phase,
      measure: `turn ${lastTurn}: prompt tokens evaluated`,
      value: evaluated(lastTurn),
      unit: 'tokens',
      baseline: { label: 'turn 1', value: evaluated(1) },
      ratio: ratio(evaluated(lastTurn), evaluated(1)),
    },
  ];
}

function restRows({ rest }: BenchResults): Row[] {
  if (!rest) return [];
  const phase = `REST, ${rest.connections} connections`;
  const { conversations: list, healthz } = rest;
  const failed = (load: { failures: number }) => (load.failures > 0 ? ` (${load.failures} failed)` : '');
  return [
    { phase, measure: `GET /healthz${failed(healthz)}`, value: healthz.requestsPerSecond, unit: 'req/s' },
    {
      phase,
      measure: `GET /api/conversations, ${rest.ownedConversations} owned${failed(list)}`,
      value: list.requestsPerSecond,
      unit: 'req/s',
      baseline: { label: '/healthz', value: healthz.requestsPerSecond },
      ratio: ratio(list.requestsPerSecond, healthz.requestsPerSecond),
    },
    {
      phase,
      measure: 'GET /api/conversations p99',
      value: list.latencyP99Ms,
      unit: 'ms',
      baseline: { label: '/healthz', value: healthz.latencyP99Ms },
      ratio: ratio(list.latencyP99Ms, healthz.latencyP99Ms),
    },
  ];
}

function memoryRows({ portalMemory, direct, setup }: BenchResults): Row[] {
  if (!portalMemory) return [];
  const phase = 'memory';
  const portal = portalMemory.vmHwmBytes === null ? null : portalMemory.vmHwmBytes / MIB;
  const base = direct?.memory?.vmHwmBytes == null ? null : direct.memory.vmHwmBytes / MIB;
  return [
    { phase, measure: `peak RSS, direct (${setup.parallel} sequences)`, value: base, unit: 'MiB' },
    {
      phase,
      measure: `peak RSS, portal (PARALLEL=${setup.parallel})`,
      value: portal,
      unit: 'MiB',
      baseline: { label: 'direct', value: base },
      ratio: ratio(portal, base),
      target: '<= 1434 MiB (1.4 GiB)',
      met: atMost(portal, 1.4 * 1024),
    },
  ];
}

/** The engine's reference: llama.cpp's own server against direct node-llama-cpp, and the portal against both. */
function llamaServerRows({ llamaServer, single, setup }: BenchResults): Row[] {
  if (!llamaServer) return [];
  const phase = 'llama-server';
  const { cold, concurrent } = llamaServer;
  const directRate = decode(cold.direct);
  const serverRate = decode(cold.server);
  const inside = median(
    cold.server.flatMap((s) => (s.serverDecodePerSecond === null ? [] : [s.serverDecodePerSecond])),
  );
  const portalRate = single ? decode([...single.cold.portal, ...single.warm.portal]) : null;
  const directAll = aggregateRate(concurrent.direct);
  const serverAll = aggregateRate(concurrent.server);
  const serverTtft = median(concurrent.server.flatMap((run) => values(run.streams, 'ttftMs')));
  const hwm = llamaServer.memory.vmHwmBytes === null ? null : llamaServer.memory.vmHwmBytes / MIB;
  return [
    { phase, measure: 'decode, llama-server (client side)', value: serverRate, unit: 'tok/s' },
    {
      phase,
      measure: 'decode, llama-server (its own timings)',
      value: inside,
      unit: 'tok/s',
      baseline: { label: 'client side', value: serverRate },
      ratio: ratio(inside, serverRate),
    },
    {
      phase,
      measure: 'decode, direct node-llama-cpp',
      value: directRate,
      unit: 'tok/s',
      baseline: { label: 'llama-server', value: serverRate },
      ratio: ratio(directRate, serverRate),
    },
    {
      phase,
      measure: 'decode, portal (single-stream phase)',
      value: portalRate,
      unit: 'tok/s',
      baseline: { label: 'llama-server', value: serverRate },
      ratio: ratio(portalRate, serverRate),
    },
    { phase, measure: 'TTFT whole prompt, llama-server', value: ttft(cold.server), unit: 'ms' },
    {
      phase,
      measure: 'TTFT whole prompt, direct',
      value: ttft(cold.direct),
      unit: 'ms',
      baseline: { label: 'llama-server', value: ttft(cold.server) },
      ratio: ratio(ttft(cold.direct), ttft(cold.server)),
    },
    { phase, measure: `${setup.parallel} streams: aggregate, llama-server`, value: serverAll, unit: 'tok/s' },
    {
      phase,
      measure: `${setup.parallel} streams: aggregate, direct`,
      value: directAll,
      unit: 'tok/s',
      baseline: { label: 'llama-server', value: serverAll },
      ratio: ratio(directAll, serverAll),
    },
    { phase, measure: `${setup.parallel} streams: TTFT p50, llama-server`, value: serverTtft, unit: 'ms' },
    { phase, measure: `peak RSS, llama-server (-np ${setup.parallel})`, value: hwm, unit: 'MiB' },
  ];
}
