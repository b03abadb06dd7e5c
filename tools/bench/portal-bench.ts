/**
 * The portal against direct node-llama-cpp on the same model file, threads and context, in one
 * invocation (`npm run bench -- full`, or `quick` on the tiny model), or the cache-hit phase
 * alone (`npm run bench -- cache`). Prints one table and writes the raw figures to
 * bench-results/. Talks only to 127.0.0.1; no figure is asserted.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCacheHits } from './cache-hits.js';
import { runConcurrency } from './concurrency.js';
import { runConversation } from './conversation.js';
import { DirectBaseline } from './direct.js';
import { runLlamaServer } from './llama-server.js';
import { log } from './log.js';
import { describeMachine } from './machine.js';
import { parsePlan, type BenchPlan } from './plan.js';
import { openPortal, type PortalCache } from './portal-session.js';
import { runRest } from './rest.js';
import type { BenchResults, BenchSetup } from './results.js';
import { abort, guard, stop, track, watchdog } from './run-guard.js';
import { phaseRunner, report, type PhaseRunner } from './run-report.js';
import { runSingleStream } from './single-stream.js';
import { runApiStream } from './api-stream.js';

/** A run that takes longer than this is stopped, its children killed. */
const WATCHDOG_MS = { quick: 4 * 60_000, full: 25 * 60_000 };

/** Which phases a run measures: all of them, or the cache-hit phase alone. */
export type PortalPhases = 'all' | 'cache';

/** Runs the bench; a failure or the watchdog reports what was measured and exits 1. */
export async function runPortalBench(argv: string[], phases: PortalPhases): Promise<void> {
  process.once('SIGINT', () => void abort('interrupted'));
  try {
    const plan = parsePlan(argv);
    await ensureModel(plan);
    const started = Date.now();
    const mode = plan.quick ? 'quick' : 'full';
    const cancelWatchdog = watchdog(WATCHDOG_MS[mode]);
    log(
      `bench (${phases === 'cache' ? `cache, ${mode}` : mode}): ${path.relative(process.cwd(), plan.modelPath)}, THREADS=${plan.threads}, CONTEXT_SIZE=${plan.contextSize}, PARALLEL=${plan.parallel}, load ${os.loadavg()[0]!.toFixed(1)}`,
    );
    const results = await (phases === 'cache' ? runCacheOnly(plan, started) : runAll(plan, started));
    cancelWatchdog();
    results.machine.loadEnd = os.loadavg()[0]!;
    results.durationSec = Math.round((Date.now() - started) / 100) / 10;
    report(plan, results);
  } catch (error) {
    await abort((error as Error).stack ?? String(error));
  }
}

/** Every phase: direct baseline, single stream, concurrency, conversations, cache, REST, memory. */
async function runAll(plan: BenchPlan, started: number): Promise<BenchResults> {
  const direct = await track(
    DirectBaseline.start(
      {
        modelPath: plan.modelPath,
        threads: plan.threads,
        contextSize: plan.contextSize,
        sequences: plan.parallel,
        prompt: plan.prompt,
      },
      plan.loadTimeoutMs,
    ),
    (d) => d.close(),
  );
  const results = newResults(plan, started, { promptTokens: direct.promptTokens, readingMs: plan.readingMs });
  const baseline: NonNullable<BenchResults['direct']> = { loadMs: direct.loadMs };
  results.direct = baseline;
  const phase = phaseRunner(results);

  const portal = await track(openPortal(plan), (p) => p.close());
  const clients = (n: number) => portal.clients(n);
  results.single = await phase('single stream', async () => runSingleStream(plan, direct, (await clients(1))[0]!));
  results.api = await phase('API stream', async () =>
    runApiStream(plan, portal.server.baseUrl, await portal.userToken('bench-api')),
  );
  results.concurrency = await phase('concurrent clients', () => runConcurrency(plan, direct, clients));
  results.conversation = await phase('conversation', async () => runConversation(plan, (await clients(1))[0]!));
  results.conversationReading = await phase('conversation, reading', async () =>
    runConversation(plan, (await clients(1))[0]!, plan.readingMs),
  );
  results.cacheMemory = await phase('cache hits (memory)', async () =>
    runCacheHits(plan, portal.server.baseUrl, portal.adminToken, await clients(plan.cacheClients)),
  );
  results.rest = await phase('REST', async () =>
    runRest(plan, portal.server.baseUrl, await portal.userToken('bench-rest')),
  );
  results.portalMemory = portal.server.memory();
  if (plan.llamaServer !== '') results.llamaServer = await phase('llama-server', () => runLlamaServer(plan, direct));
  baseline.memory = await direct.memory();
  await stop(portal, direct);

  await runRedisCacheHits(plan, results, phase);
  return results;
}

/** The cache-hit phase alone, as the full run measures it: memory tier, then Redis on fresh portals. */
async function runCacheOnly(plan: BenchPlan, started: number): Promise<BenchResults> {
  const results = newResults(plan, started, { phases: 'cache' });
  const phase = phaseRunner(results);
  results.cacheMemory = await phase('cache hits (memory)', onFreshPortal(plan, {}));
  await runRedisCacheHits(plan, results, phase);
  return results;
}

async function runRedisCacheHits(plan: BenchPlan, results: BenchResults, phase: PhaseRunner): Promise<void> {
  if (plan.redisUrl === '') return;
  results.cacheRedis = await phase('cache hits (Redis)', onFreshPortal(plan, { redisUrl: plan.redisUrl }));
  // Every hit a Redis round trip, as after a restart when the memory tier has no copies yet.
  results.cacheRedisOnly = await phase(
    'cache hits (Redis, CACHE_MEMORY_MB=0)',
    onFreshPortal(plan, { redisUrl: plan.redisUrl, memoryMb: 0 }),
  );
}

/** The cache-hit phase on a portal started for it alone, stopped afterwards. */
function onFreshPortal(plan: BenchPlan, cache: PortalCache) {
  return async () => {
    const fresh = await track(openPortal(plan, cache), (p) => p.close());
    try {
      return await runCacheHits(plan, fresh.server.baseUrl, fresh.adminToken, await fresh.clients(plan.cacheClients));
    } finally {
      await stop(fresh);
    }
  };
}

function newResults(plan: BenchPlan, started: number, extra: Partial<BenchSetup>): BenchResults {
  const results: BenchResults = {
    setup: {
      mode: plan.quick ? 'quick' : 'full',
      model: path.basename(plan.modelPath),
      modelBytes: fs.statSync(plan.modelPath).size,
      threads: plan.threads,
      contextSize: plan.contextSize,
      parallel: plan.parallel,
      maxTokens: plan.maxTokens,
      prompt: plan.prompt,
      ...extra,
    },
    machine: describeMachine(),
    startedAt: new Date(started).toISOString(),
    failures: [],
  };
  guard(plan, results);
  return results;
}

/** The full run's model is generated on first use (bench-results/ is git-ignored). */
async function ensureModel(plan: BenchPlan): Promise<void> {
  if (fs.existsSync(plan.modelPath)) return;
  if (!plan.makeModel) throw new Error(`No model file at ${plan.modelPath}`);
  log(`generating ${path.relative(process.cwd(), plan.modelPath)} (npm run bench:model)…`);
  const { makeBenchModel } = await import('../gguf/make-bench-model.js');
  const quant = /q4_k_m/.test(plan.modelPath) ? 'q4_k_m' : 'q4_0';
  makeBenchModel({ out: plan.modelPath, quant });
}
