/**
 * Phase 2: 1, 4 and 8 clients (different users, one socket each) streaming at once; each
 * sends its requests one after another. Every prompt starts with a unique tag, so no request
 * finds its prompt in a resident sequence (only the template's first tokens are shared), and
 * prompt evaluation is part of every first token as it would be for real users.
 * The direct baseline decodes PARALLEL such prompts together in one context, once right before
 * and once right after the portal's PARALLEL-client level, so both see the same machine load.
 */
import type { DirectBaseline, DirectConcurrent } from './direct.js';
import { describeStream, log } from './log.js';
import type { BenchPlan } from './plan.js';
import { expectAnswered, toPortalStream, type PortalStream } from './portal-stream.js';
import { PORTAL_REPEAT_PENALTY } from './single-stream.js';
import { aggregateRate, median } from './stats.js';
import type { TimedClient } from './timed-client.js';

export interface LevelResult {
  clients: number;
  rounds: number;
  streams: PortalStream[];
  /** First send → last done, ms. */
  wallMs: number;
  completionTokens: number;
}

/**
 * PARALLEL - 1 clients start; one more joins `afterMs` later (a quarter of a lone answer's time),
 * on a sequence that still holds an earlier prompt.
 */
export interface LateJoinResult {
  afterMs: number;
  late: PortalStream;
  early: PortalStream[];
}

export interface ConcurrencyResult {
  levels: LevelResult[];
  lateJoin: LateJoinResult | null;
  /** Direct node-llama-cpp, PARALLEL streams in one batch: the runs before and after. */
  direct: DirectConcurrent[];
}

let tag = 0;
/** The fixed prompt behind a tag no other request used. */
const tagged = (prompt: string, prefix: string) => `[${prefix}${++tag}] ${prompt}`;

export async function runConcurrency(
  plan: BenchPlan,
  direct: DirectBaseline,
  getClients: (n: number) => Promise<TimedClient[]>,
): Promise<ConcurrencyResult> {
  const result: ConcurrencyResult = { levels: [], lateJoin: null, direct: [] };
  const baseline = async () => {
    const prompts = Array.from({ length: plan.parallel }, () => tagged(plan.prompt, 'd'));
    const run = await direct.concurrent(
      prompts,
      { maxTokens: plan.maxTokens, repeatPenalty: PORTAL_REPEAT_PENALTY, reusePrefix: true },
      plan.answerTimeoutMs * 2,
    );
    log(`  direct ${plan.parallel} streams: ${rate(run)} tok/s aggregate over ${(run.wallMs / 1000).toFixed(1)} s`);
    result.direct.push(run);
  };
  for (const level of plan.levels) {
    const clients = await getClients(level.clients);
    if (level.clients === plan.parallel) await baseline();
    const run = await runLevel(plan, clients, level.rounds);
    log(
      `  ${level.clients === 1 ? '1 client' : `${level.clients} clients`}: ${rate(run)} tok/s aggregate over ${(run.wallMs / 1000).toFixed(1)} s`,
    );
    result.levels.push(run);
    if (level.clients === plan.parallel) await baseline();
  }
  const alone = result.levels.find((l) => l.clients === 1);
  if (plan.parallel >= 2 && alone) {
    // A quarter of one answer's time in: the others are well into decoding.
    const afterMs = Math.round(median(alone.streams.map((s) => s.totalMs))! / 4);
    result.lateJoin = await runLateJoin(plan, await getClients(plan.parallel), afterMs);
    log(`  late joiner: TTFT ${result.lateJoin.late.ttftMs?.toFixed(0)} ms (${plan.parallel - 1} streams running)`);
  }
  return result;
}

/** Every sequence has been used by now, so the late request's sequence must be cut back first. */
async function runLateJoin(plan: BenchPlan, clients: TimedClient[], afterMs: number): Promise<LateJoinResult> {
  const options = { temperature: 0, maxTokens: plan.maxTokens, noCache: true };
  const timeout = plan.answerTimeoutMs * 2;
  const early = clients.slice(1).map((client) => client.chat(tagged(plan.prompt, 'e'), options, undefined, timeout));
  await new Promise((resolve) => setTimeout(resolve, afterMs));
  const late = expectAnswered(
    toPortalStream(await clients[0]!.chat(tagged(plan.prompt, 'l'), options, undefined, timeout)),
    'late joiner',
  );
  return {
    afterMs,
    late,
    early: (await Promise.all(early)).map((answer) => expectAnswered(toPortalStream(answer), 'early stream')),
  };
}

const rate = (run: { completionTokens: number; wallMs: number }) => aggregateRate([run])?.toFixed(1) ?? '–';

async function runLevel(plan: BenchPlan, clients: TimedClient[], rounds: number): Promise<LevelResult> {
  const begin = performance.now();
  const perClient = await Promise.all(
    clients.map(async (client) => {
      const streams: PortalStream[] = [];
      for (let round = 0; round < rounds; round++) {
        // With more clients than sequences, the last ones wait a whole answer or more.
        const timeout = plan.answerTimeoutMs * Math.ceil(clients.length / plan.parallel + 1);
        const answer = await client.chat(
          tagged(plan.prompt, 'p'),
          { temperature: 0, maxTokens: plan.maxTokens, noCache: true },
          undefined,
          timeout,
        );
        const stream = expectAnswered(toPortalStream(answer), `${clients.length}-client stream`);
        if (clients.length === 1) log(`  ${describeStream('1 client', stream)}`);
        streams.push(stream);
      }
      return streams;
    }),
  );
  const streams = perClient.flat();
  return {
    clients: clients.length,
    rounds,
    streams,
    wallMs: performance.now() - begin,
    completionTokens: streams.reduce((sum, s) => sum + s.completionTokens, 0),
  };
}
