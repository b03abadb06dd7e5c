/**
 * The response cache's rows: hit latency per tier against a ping round trip, bursts of sockets
 * at once, and how much of a hit the server itself spends.
 */
import type { CacheHitResult } from './cache-hits.js';
import type { Row } from './report.js';
import type { BenchResults } from './results.js';
import { percentile, ratio } from './stats.js';

export function cacheRows(results: BenchResults): Row[] {
  const rows: Row[] = [];
  const memory = results.cacheMemory;
  const redis = results.cacheRedis;
  const p = (r: CacheHitResult | undefined, q: number) => (r ? percentile(r.latenciesMs, q) : null);
  const phase = `cache hits, ${memory?.sockets ?? redis?.sockets ?? 8} sockets`;
  /** All sockets asking at the same moment (the literal reading of "N clients asking at once"). */
  const burstRows = (name: string, r: CacheHitResult): Row[] => {
    const p99 = percentile(r.burstMs, 99);
    return [
      { phase, measure: `${name}, ${r.sockets} at once: p50`, value: percentile(r.burstMs, 50), unit: 'ms' },
      {
        phase,
        measure: `${name}, ${r.sockets} at once: p99`,
        value: p99,
        unit: 'ms',
        target: '< 10 ms',
        met: p99 === null ? null : p99 < 10,
      },
    ];
  };
  /** How much of the latency the server's plan + lookup take (the rest: storing the turn, sending the answer, the sockets). */
  const serverPart = (name: string, r: CacheHitResult): Row => {
    const server = percentile(r.serverMs, 50);
    return {
      phase,
      measure: `${name}: plan + lookup p50`,
      value: server,
      unit: 'ms',
      baseline: { label: 'send→done', value: p(r, 50) },
      ratio: ratio(server, p(r, 50)),
    };
  };
  /** The first answers of the phase, not counted in the figures above: what a fresh process pays. */
  const warmupRow = (name: string, r: CacheHitResult): Row => ({
    phase,
    measure: `${name}, first ${r.warmupMs.length} answers (warm-up) p99`,
    value: percentile(r.warmupMs, 99),
    unit: 'ms',
  });
  const describe = (name: string, r: CacheHitResult) =>
    `${name} (${r.backend}, ${r.latenciesMs.length} answers${r.misses + r.errors > 0 ? `, ${r.misses} misses, ${r.errors} errors` : ''})`;
  if (memory) {
    rows.push(
      { phase, measure: 'memory, 1 socket alone p50', value: percentile(memory.aloneMs, 50), unit: 'ms' },
      { phase, measure: 'memory, 1 socket alone p99', value: percentile(memory.aloneMs, 99), unit: 'ms' },
      { phase, measure: 'ping round trip p50', value: percentile(memory.pingsMs, 50), unit: 'ms' },
      {
        phase,
        measure: `${describe('memory', memory)} p50`,
        value: p(memory, 50),
        unit: 'ms',
        baseline: { label: 'ping', value: percentile(memory.pingsMs, 50) },
        ratio: ratio(p(memory, 50), percentile(memory.pingsMs, 50)),
      },
      {
        phase,
        measure: 'memory p99',
        value: p(memory, 99),
        unit: 'ms',
        baseline: { label: 'ping', value: percentile(memory.pingsMs, 99) },
        ratio: ratio(p(memory, 99), percentile(memory.pingsMs, 99)),
        target: '< 10 ms',
        met: p(memory, 99) === null ? null : p(memory, 99)! < 10,
      },
      ...burstRows('memory', memory),
      serverPart('memory', memory),
      warmupRow('memory', memory),
    );
  }
  const redisRows = (name: string, r: CacheHitResult): Row[] => [
    {
      phase,
      measure: `${describe(name, r)} p50`,
      value: p(r, 50),
      unit: 'ms',
      baseline: { label: 'memory', value: p(memory, 50) },
      ratio: ratio(p(r, 50), p(memory, 50)),
    },
    {
      phase,
      measure: `${name} p99`,
      value: p(r, 99),
      unit: 'ms',
      baseline: { label: 'memory', value: p(memory, 99) },
      ratio: ratio(p(r, 99), p(memory, 99)),
      target: '< 10 ms',
      met: p(r, 99) === null ? null : p(r, 99)! < 10,
    },
    ...burstRows(name, r),
    serverPart(name, r),
    warmupRow(name, r),
  ];
  if (redis) rows.push(...redisRows('Redis', redis));
  // The Redis round trip on every hit: what a hit costs before the memory tier has its copy.
  if (results.cacheRedisOnly) rows.push(...redisRows('Redis, CACHE_MEMORY_MB=0', results.cacheRedisOnly));
  return rows;
}
