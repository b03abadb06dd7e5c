/**
 * Turns a run's results into the table's rows: each figure next to its baseline from the same
 * run, with issue 3's and issue 5's targets judged where they apply.
 */
import type { CacheHitResult } from './cache-hits.js';
import type { DirectStream } from './direct-protocol.js';
import type { PortalStream } from './portal-stream.js';
import { atLeast, atMost, type Row } from './report.js';
import type { BenchResults } from './results.js';
import { median, percentile, ratio } from './stats.js';

const MIB = 1024 * 1024;
type Stream = DirectStream | PortalStream;
/** The finite values of one figure across streams (a stream with no tokens has none). */
const values = (list: readonly Stream[], key: 'decodeTokensPerSecond' | 'ttftMs'): number[] =>
  list.map((item) => item[key]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
const decode = (list: readonly Stream[]) => median(values(list, 'decodeTokensPerSecond'));
const ttft = (list: readonly Stream[]) => median(values(list, 'ttftMs'));

export function buildRows(results: BenchResults): Row[] {
  return [...singleRows(results), ...concurrencyRows(results), ...conversationRows(results), ...cacheRows(results), ...restRows(results), ...memoryRows(results)];
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
      { phase, measure: `TTFT ${measure}, portal`, value: p, unit: 'ms', baseline: { label: 'direct', value: d }, ratio: ratio(p, d), target: '<= direct + 30 ms', met: p === null || d === null ? null : p - d <= 30 },
    ];
  };
  const outside = median(portal.filter((s) => s.server && s.ttftMs !== null).map((s) => s.ttftMs! - s.server!.ttftMs));
  return [
    { phase, measure: 'decode, direct node-llama-cpp', value: directRate, unit: 'tok/s' },
    { phase, measure: 'decode, portal over WebSocket', value: portalRate, unit: 'tok/s', baseline: { label: 'direct', value: directRate }, ratio: ratio(portalRate, directRate), target: '>= 0.97x direct', met: atLeast(ratio(portalRate, directRate), 0.97) },
    { phase, measure: 'decode, direct, no repeat penalty', value: noPenalty, unit: 'tok/s', baseline: { label: 'direct', value: directRate }, ratio: ratio(noPenalty, directRate) },
    ...ttftRow('whole prompt', 'cold'),
    ...ttftRow('prompt prefix reused', 'warm'),
    { phase, measure: 'portal TTFT outside the engine', value: outside, unit: 'ms' },
  ];
}

const sum = <K extends string>(list: ReadonlyArray<Record<K, number>>, key: K) => list.reduce((total, item) => total + item[key], 0);

function concurrencyRows({ concurrency, setup }: BenchResults): Row[] {
  if (!concurrency) return [];
  const phase = 'concurrent clients';
  const aggregate = (tokens: number, ms: number) => (ms > 0 ? (tokens * 1000) / ms : null);
  const single = concurrency.levels.find((l) => l.clients === 1);
  const singleRate = single ? aggregate(single.completionTokens, single.wallMs) : null;
  const direct = concurrency.direct.length > 0 ? concurrency.direct : null;
  const directRate = direct ? aggregate(sum(direct, 'completionTokens'), sum(direct, 'wallMs')) : null;
  const directTtft = direct ? ttft(direct.flatMap((run) => run.streams)) : null;
  const rows: Row[] = [];
  for (const level of concurrency.levels) {
    const n = level.clients;
    const rate = aggregate(level.completionTokens, level.wallMs);
    const ttfts = values(level.streams, 'ttftMs');
    const p50 = percentile(ttfts, 50);
    const isParallel = n === setup.parallel;
    rows.push(
      n === 1
        ? { phase, measure: '1 client: aggregate', value: rate, unit: 'tok/s' as const }
        : { phase, measure: `${n} clients: aggregate`, value: rate, unit: 'tok/s', baseline: { label: '1 client', value: singleRate }, ratio: ratio(rate, singleRate), ...(isParallel ? { target: '>= 0.95x 1 client', met: atLeast(ratio(rate, singleRate), 0.95) } : {}) },
    );
    if (isParallel && direct) rows.push({ phase, measure: `${n} clients: aggregate vs direct`, value: rate, unit: 'tok/s', baseline: { label: `direct ${n} streams`, value: directRate }, ratio: ratio(rate, directRate) });
    const who = n === 1 ? '1 client' : `${n} clients`;
    rows.push(
      isParallel
        ? { phase, measure: `${n} clients: TTFT p50`, value: p50, unit: 'ms', baseline: { label: `direct ${n} streams`, value: directTtft }, ratio: ratio(p50, directTtft), target: '<= 1800 ms', met: atMost(p50, 1800) }
        : { phase, measure: `${who}: TTFT p50`, value: p50, unit: 'ms' },
      { phase, measure: `${who}: TTFT p95`, value: percentile(ttfts, 95), unit: 'ms' },
    );
  }
  const late = concurrency.lateJoin;
  const together = ttft(concurrency.levels.find((l) => l.clients === setup.parallel)?.streams ?? []);
  if (late) rows.push({ phase, measure: `joins ${late.afterMs} ms after ${late.early.length} others: TTFT`, value: late.late.ttftMs, unit: 'ms', baseline: { label: `${setup.parallel} together`, value: together }, ratio: ratio(late.late.ttftMs, together) });
  return rows;
}

function conversationRows({ conversation }: BenchResults): Row[] {
  if (!conversation || conversation.length === 0) return [];
  const phase = 'conversation';
  const first = conversation[0]!;
  const last = conversation.at(-1)!;
  return [
    { phase, measure: 'turn 1: TTFT', value: first.ttftMs, unit: 'ms' },
    { phase, measure: `turn ${last.turn}: TTFT`, value: last.ttftMs, unit: 'ms', baseline: { label: 'turn 1', value: first.ttftMs }, ratio: ratio(last.ttftMs, first.ttftMs), target: '<= 1.3x turn 1', met: atMost(ratio(last.ttftMs, first.ttftMs), 1.3) },
    { phase, measure: `turn ${last.turn}: prompt tokens reused`, value: last.cachedPromptTokens, unit: 'tokens', baseline: { label: 'of', value: last.promptTokens }, ratio: ratio(last.cachedPromptTokens, last.promptTokens) },
  ];
}

function cacheRows(results: BenchResults): Row[] {
  const rows: Row[] = [];
  const memory = results.cacheMemory;
  const redis = results.cacheRedis;
  const p = (r: CacheHitResult | undefined, q: number) => (r ? percentile(r.latenciesMs, q) : null);
  const phase = `cache hits, ${memory?.sockets ?? redis?.sockets ?? 8} sockets`;
  /** How much of the latency the server's plan + lookup + replay take (the rest: storing the turn, the socket). */
  const serverPart = (name: string, r: CacheHitResult): Row => {
    const server = percentile(r.serverMs, 50);
    return { phase, measure: `${name}: plan + lookup + replay p50`, value: server, unit: 'ms', baseline: { label: 'send→done', value: p(r, 50) }, ratio: ratio(server, p(r, 50)) };
  };
  const describe = (name: string, r: CacheHitResult) => `${name} (${r.backend}, ${r.latenciesMs.length} answers${r.misses + r.errors > 0 ? `, ${r.misses} misses, ${r.errors} errors` : ''})`;
  if (memory) {
    rows.push(
      { phase, measure: 'memory, 1 socket alone p50', value: percentile(memory.aloneMs, 50), unit: 'ms' },
      { phase, measure: 'memory, 1 socket alone p99', value: percentile(memory.aloneMs, 99), unit: 'ms' },
      { phase, measure: 'ping round trip p50', value: percentile(memory.pingsMs, 50), unit: 'ms' },
      { phase, measure: `${describe('memory', memory)} p50`, value: p(memory, 50), unit: 'ms', baseline: { label: 'ping', value: percentile(memory.pingsMs, 50) }, ratio: ratio(p(memory, 50), percentile(memory.pingsMs, 50)) },
      { phase, measure: 'memory p99', value: p(memory, 99), unit: 'ms', baseline: { label: 'ping', value: percentile(memory.pingsMs, 99) }, ratio: ratio(p(memory, 99), percentile(memory.pingsMs, 99)), target: '< 10 ms', met: p(memory, 99) === null ? null : p(memory, 99)! < 10 },
      serverPart('memory', memory),
    );
  }
  if (redis) {
    rows.push(
      { phase, measure: `${describe('Redis', redis)} p50`, value: p(redis, 50), unit: 'ms', baseline: { label: 'memory', value: p(memory, 50) }, ratio: ratio(p(redis, 50), p(memory, 50)) },
      { phase, measure: 'Redis p99', value: p(redis, 99), unit: 'ms', baseline: { label: 'memory', value: p(memory, 99) }, ratio: ratio(p(redis, 99), p(memory, 99)), target: '< 10 ms', met: p(redis, 99) === null ? null : p(redis, 99)! < 10 },
      serverPart('Redis', redis),
    );
  }
  return rows;
}

function restRows({ rest }: BenchResults): Row[] {
  if (!rest) return [];
  const phase = `REST, ${rest.connections} connections`;
  const { conversations: list, healthz } = rest;
  const failed = (load: { failures: number }) => (load.failures > 0 ? ` (${load.failures} failed)` : '');
  return [
    { phase, measure: `GET /healthz${failed(healthz)}`, value: healthz.requestsPerSecond, unit: 'req/s' },
    { phase, measure: `GET /api/conversations, ${rest.ownedConversations} owned${failed(list)}`, value: list.requestsPerSecond, unit: 'req/s', baseline: { label: '/healthz', value: healthz.requestsPerSecond }, ratio: ratio(list.requestsPerSecond, healthz.requestsPerSecond) },
    { phase, measure: 'GET /api/conversations p99', value: list.latencyP99Ms, unit: 'ms', baseline: { label: '/healthz', value: healthz.latencyP99Ms }, ratio: ratio(list.latencyP99Ms, healthz.latencyP99Ms) },
  ];
}

function memoryRows({ portalMemory, direct, setup }: BenchResults): Row[] {
  if (!portalMemory) return [];
  const phase = 'memory';
  const portal = portalMemory.vmHwmBytes === null ? null : portalMemory.vmHwmBytes / MIB;
  const base = direct.memory?.vmHwmBytes == null ? null : direct.memory.vmHwmBytes / MIB;
  return [
    { phase, measure: `peak RSS, direct (${setup.parallel} sequences)`, value: base, unit: 'MiB' },
    { phase, measure: `peak RSS, portal (PARALLEL=${setup.parallel})`, value: portal, unit: 'MiB', baseline: { label: 'direct', value: base }, ratio: ratio(portal, base), target: '<= 1434 MiB (1.4 GiB)', met: atMost(portal, 1.4 * 1024) },
  ];
}
