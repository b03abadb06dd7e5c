/**
 * Phase 4: answers served from the response cache, under N sockets at once. The cache is
 * flushed, then primed with one answer that ends with finishReason "stop" (a random-weight
 * model rarely ends by itself, so common stop strings end it; cut answers are not cached).
 * Every socket then asks the same question in a new conversation, one request after another;
 * the send → done latency is the figure. The sockets send back to back (a closed loop with no
 * think time), the hardest reading of "N clients"; then in bursts, all N asking at the same
 * moment and waiting for every answer, the literal one. All sockets first ask WARMUP_REQUESTS
 * times, reported apart. One socket alone gives the unloaded latency; WebSocket ping round trips
 * under the same N sockets are the floor it is compared with.
 */
import { api } from './http.js';
import type { BenchPlan } from './plan.js';
import type { ChatOptions, TimedClient } from './timed-client.js';

/** Strings nearly every stretch of text contains. */
const STOP = ['e', 'a', 'o', 'i'];
const PRIME_ATTEMPTS = 8;
/** Hits per socket before any is measured. */
const WARMUP_REQUESTS = 100;
/** Quiet time between bursts, so each burst starts from an idle server. */
const BURST_PAUSE_MS = 20;

export interface CacheHitResult {
  backend: string;
  sockets: number;
  /** send → done of every answer, ms. */
  latenciesMs: number[];
  /** send → done of the first answers, back to back, before anything is measured, ms. */
  warmupMs: number[];
  /** send → done with one socket alone, ms. */
  aloneMs: number[];
  /** send → done when all sockets ask at the same moment and wait for every answer, round after round. */
  burstMs: number[];
  /** The server's own time for each answer (done.timings.totalMs: planning and the cache lookup, timed before the answer is stored and sent). */
  serverMs: number[];
  /** Answers that were not served from the cache (should be 0), and failures. */
  misses: number;
  errors: number;
  pingsMs: number[];
}

export async function runCacheHits(
  plan: BenchPlan,
  baseUrl: string,
  adminToken: string,
  clients: TimedClient[],
): Promise<CacheHitResult> {
  await api(baseUrl, 'POST', '/api/admin/cache/flush', { token: adminToken });
  const first = clients[0]!;
  const { content, options } = await prime(plan, first);

  // Reported apart: a process's first hits pay for compiling the hit path and growing the files.
  const warmup = (
    await Promise.all(
      clients.map((client) =>
        repeat(WARMUP_REQUESTS, () => client.chat(content, options, undefined, plan.answerTimeoutMs)),
      ),
    )
  ).flat();
  const alone = await repeat(plan.cacheRequests, () => first.chat(content, options, undefined, plan.answerTimeoutMs));
  const pingsMs = (await Promise.all(clients.map((client) => repeat(plan.cacheRequests, () => client.ping())))).flat();
  const answers = (
    await Promise.all(
      clients.map((client) =>
        repeat(plan.cacheRequests, () => client.chat(content, options, undefined, plan.answerTimeoutMs)),
      ),
    )
  ).flat();
  const burstMs: number[] = [];
  for (let round = 0; round < plan.cacheRequests; round++) {
    const burst = await Promise.all(
      clients.map((client) => client.chat(content, options, undefined, plan.answerTimeoutMs)),
    );
    burstMs.push(...burst.filter((a) => a.done?.cached).map((a) => a.endAt - a.sentAt));
    await new Promise((resolve) => setTimeout(resolve, BURST_PAUSE_MS));
  }
  const metrics = await api<{ cache: { backend: string } }>(baseUrl, 'GET', '/api/admin/metrics', {
    token: adminToken,
  });
  return {
    backend: metrics.cache.backend,
    sockets: clients.length,
    latenciesMs: answers.filter((a) => a.error === null).map((a) => a.endAt - a.sentAt),
    burstMs,
    warmupMs: warmup.filter((a) => a.done?.cached).map((a) => a.endAt - a.sentAt),
    aloneMs: alone.filter((a) => a.done?.cached).map((a) => a.endAt - a.sentAt),
    serverMs: answers.flatMap((a) => (a.done ? [a.done.timings.totalMs] : [])),
    misses: answers.filter((a) => a.done !== null && !a.done.cached).length,
    errors: answers.filter((a) => a.error !== null).length,
    pingsMs,
  };
}

/** Finds a question whose answer stops, and waits until the cache serves it. */
async function prime(plan: BenchPlan, client: TimedClient): Promise<{ content: string; options: ChatOptions }> {
  const options: ChatOptions = { temperature: 0, maxTokens: plan.maxTokens, stop: STOP };
  for (let attempt = 0; attempt < PRIME_ATTEMPTS; attempt++) {
    const content = attempt === 0 ? plan.prompt : `${plan.prompt} (${attempt})`;
    const answer = await client.chat(content, options, undefined, plan.answerTimeoutMs);
    if (answer.done?.finishReason !== 'stop') continue;
    // The answer is stored after its done frame: ask again until it comes from the cache.
    for (let check = 0; check < 20; check++) {
      const again = await client.chat(content, options, undefined, plan.answerTimeoutMs);
      if (again.done?.cached) return { content, options };
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  throw new Error(`no answer ending with finishReason "stop" was cached after ${PRIME_ATTEMPTS} questions`);
}

async function repeat<T>(times: number, task: () => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (let i = 0; i < times; i++) results.push(await task());
  return results;
}
