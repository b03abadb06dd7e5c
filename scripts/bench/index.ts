/**
 * `npm run bench` (`-- --quick` for the tiny model): the portal against direct node-llama-cpp on
 * the same model file, threads and context, in one invocation. Prints one table and writes the
 * raw figures to bench-results/. Talks only to 127.0.0.1; no figure is asserted.
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
import { formatTable } from './report.js';
import { runRest } from './rest.js';
import type { BenchResults } from './results.js';
import { buildRows } from './rows.js';
import { runSingleStream } from './single-stream.js';

/** A run that takes longer than this is stopped, its children killed. */
const WATCHDOG_MS = { quick: 4 * 60_000, full: 25 * 60_000 };

async function main(): Promise<void> {
  const plan = parsePlan(process.argv.slice(2));
  await ensureModel(plan);
  const started = Date.now();
  const mode = plan.quick ? 'quick' : 'full';
  const watchdog = setTimeout(() => void abort(`the run took over ${WATCHDOG_MS[mode] / 60_000} minutes`), WATCHDOG_MS[mode]);
  log(`bench (${mode}): ${path.relative(process.cwd(), plan.modelPath)}, THREADS=${plan.threads}, CONTEXT_SIZE=${plan.contextSize}, PARALLEL=${plan.parallel}, load ${os.loadavg()[0]!.toFixed(1)}`);

  const direct = await track(DirectBaseline.start({ modelPath: plan.modelPath, threads: plan.threads, contextSize: plan.contextSize, sequences: plan.parallel, prompt: plan.prompt }, plan.loadTimeoutMs), (d) => d.close());
  const results: BenchResults = (partial.results = {
    setup: { mode, model: path.basename(plan.modelPath), modelBytes: fs.statSync(plan.modelPath).size, threads: plan.threads, contextSize: plan.contextSize, parallel: plan.parallel, maxTokens: plan.maxTokens, prompt: plan.prompt, promptTokens: direct.promptTokens, readingMs: plan.readingMs },
    machine: describeMachine(),
    startedAt: new Date(started).toISOString(),
    direct: { loadMs: direct.loadMs },
    failures: [],
  });
  partial.plan = plan;
  const phase = async <T>(name: string, run: () => Promise<T>): Promise<T | undefined> => {
    const begin = Date.now();
    log(`${name}…`);
    try {
      return await run();
    } catch (error) {
      results.failures.push({ phase: name, message: (error as Error).message });
      log(`${name} failed: ${(error as Error).message}`);
      return undefined;
    } finally {
      log(`${name}: ${((Date.now() - begin) / 1000).toFixed(1)} s`);
    }
  };

  const portal = await track(openPortal(plan), (p) => p.close());
  const clients = (n: number) => portal.clients(n);
  results.single = await phase('single stream', async () => runSingleStream(plan, direct, (await clients(1))[0]!));
  results.concurrency = await phase('concurrent clients', () => runConcurrency(plan, direct, clients));
  results.conversation = await phase('conversation', async () => runConversation(plan, (await clients(1))[0]!));
  results.conversationReading = await phase('conversation, reading', async () => runConversation(plan, (await clients(1))[0]!, plan.readingMs));
  results.cacheMemory = await phase('cache hits (memory)', async () => runCacheHits(plan, portal.server.baseUrl, portal.adminToken, await clients(plan.cacheClients)));
  results.rest = await phase('REST', async () => runRest(plan, portal.server.baseUrl, await portal.userToken('bench-rest')));
  results.portalMemory = portal.server.memory();
  if (plan.llamaServer !== '') results.llamaServer = await phase('llama-server', () => runLlamaServer(plan, direct));
  results.direct.memory = await direct.memory();
  await stop(portal, direct);

  if (plan.redisUrl !== '') {
    const onFreshPortal = (cache: PortalCache) => async () => {
      const fresh = await track(openPortal(plan, cache), (p) => p.close());
      try {
        return await runCacheHits(plan, fresh.server.baseUrl, fresh.adminToken, await fresh.clients(plan.cacheClients));
      } finally {
        await stop(fresh);
      }
    };
    results.cacheRedis = await phase('cache hits (Redis)', onFreshPortal({ redisUrl: plan.redisUrl }));
    // Every hit a Redis round trip, as after a restart when the memory tier has no copies yet.
    results.cacheRedisOnly = await phase('cache hits (Redis, CACHE_MEMORY_MB=0)', onFreshPortal({ redisUrl: plan.redisUrl, memoryMb: 0 }));
  }

  clearTimeout(watchdog);
  results.machine.loadEnd = os.loadavg()[0]!;
  results.durationSec = Math.round((Date.now() - started) / 100) / 10;
  report(plan, results);
}

function report(plan: BenchPlan, results: BenchResults): void {
  const { setup, machine } = results;
  console.log(`\n${setup.model} (${(setup.modelBytes / 1e6).toFixed(0)} MB), ${setup.promptTokens}-token prompt, ${setup.maxTokens} tokens greedy, THREADS=${setup.threads}, CONTEXT_SIZE=${setup.contextSize}, PARALLEL=${setup.parallel}`);
  console.log(`${machine.cores} cores ${machine.cpuModel}, ${machine.memoryGiB} GiB, Node ${machine.node}, load ${machine.loadStart.toFixed(1)} → ${machine.loadEnd?.toFixed(1)}, ${results.durationSec} s\n`);
  console.log(formatTable(buildRows(results)));
  for (const failure of results.failures) console.log(`\nFAILED ${failure.phase}: ${failure.message}`);
  fs.mkdirSync(plan.outDir, { recursive: true });
  const file = path.join(plan.outDir, `bench-${setup.mode}-${results.startedAt.replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nRaw figures: ${path.relative(process.cwd(), file)}`);
  if (results.failures.length > 0) process.exitCode = 1;
}

/** The full run's model is generated on first use (bench-results/ is git-ignored). */
async function ensureModel(plan: BenchPlan): Promise<void> {
  if (fs.existsSync(plan.modelPath)) return;
  if (!plan.makeModel) throw new Error(`No model file at ${plan.modelPath}`);
  log(`generating ${path.relative(process.cwd(), plan.modelPath)} (npm run bench:model)…`);
  const { makeBenchModel } = await import('../make-bench-model.js');
  const quant = /q4_k_m/.test(plan.modelPath) ? 'q4_k_m' : 'q4_0';
  makeBenchModel({ out: plan.modelPath, quant });
}

/** What is still running and how to stop it, so a watchdog or Ctrl-C leaves no child behind. */
const running = new Map<object, () => Promise<void>>();

async function track<T extends object>(starting: Promise<T>, stopper: (value: T) => Promise<void>): Promise<T> {
  const value = await starting;
  running.set(value, () => stopper(value));
  return value;
}

async function stop(...values: object[]): Promise<void> {
  for (const value of values) {
    const stopIt = running.get(value);
    running.delete(value);
    await stopIt?.();
  }
}

/** What a stopped run measured so far, reported before it exits. */
const partial: { plan?: BenchPlan; results?: BenchResults } = {};

async function abort(reason: string): Promise<never> {
  log(`stopping: ${reason}`);
  const { plan, results } = partial;
  partial.results = undefined; // report once, even if stopping makes a phase fail
  await Promise.allSettled([...running.values()].map((stopIt) => stopIt()));
  if (plan && results) {
    results.failures.push({ phase: 'run', message: `stopped: ${reason.split('\n')[0]}` });
    results.machine.loadEnd = os.loadavg()[0]!;
    report(plan, results);
  }
  process.exit(1);
}


process.once('SIGINT', () => void abort('interrupted'));
main().catch(async (error: unknown) => {
  await abort((error as Error).stack ?? String(error));
});
