/**
 * What one benchmark run does: the model, threads and context shared by the portal and the
 * direct baseline, and how many samples each phase takes. `--quick` shrinks the counts and uses
 * the tiny test model; every count and time is bounded.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

export const ROOT = path.resolve(import.meta.dirname, '../..');

/** Where `npm run bench:llama-server` puts the llama-server it builds. */
export const LLAMA_SERVER = path.join(ROOT, 'bench-results', 'llama.cpp', 'build', 'bin', 'llama-server');

/** The engine targets' fixed prompt (rendered with the model's Zephyr template: 25 tokens with BOS). */
export const PROMPT = 'Write a short poem about the sea.';

export interface BenchPlan {
  quick: boolean;
  /** GGUF used by both sides. Defaults to the TinyLlama-shaped bench model (quick: tiny-random-zephyr). */
  modelPath: string;
  /** Generate the bench model first if the file is missing (full run only). */
  makeModel: boolean;
  /** THREADS of both sides. Defaults to 2 (quick: 1, see docs/benchmarks.md). */
  threads: number;
  /** CONTEXT_SIZE of both sides. Defaults to 2048. */
  contextSize: number;
  /** PARALLEL of the portal, sequences of the direct context. Defaults to 4. */
  parallel: number;
  /** Tokens per answer. Defaults to 64. */
  maxTokens: number;
  prompt: string;
  /** Single-stream pairs (direct, portal) with the prompt prefix reused. Defaults to 3. */
  warmReps: number;
  /** Direct runs without the repeat penalty (at most warmReps). Defaults to 2. */
  noPenaltyReps: number;
  /** Concurrent clients per level and how many requests each sends in turn. */
  levels: Array<{ clients: number; rounds: number }>;
  /** Turns of the prompt-reuse conversations, and how many conversations. Defaults to 10 and 3 (quick: 1). */
  turns: number;
  conversations: number;
  /** The pause before each request of the second conversation run, a user reading. Defaults to 1000 ms. */
  readingMs: number;
  /**
   * Sockets hitting the cache at once, and requests (and pings, and rounds of bursts) per socket.
   * 200 gives 1600 answers per figure: a p99 is then the 16th slowest, not the 4th of 400, which
   * one unlucky burst of 8 decided alone. Defaults to 200 (quick: 25).
   */
  cacheClients: number;
  cacheRequests: number;
  /** Redis for the cache phase; a spare database number keeps other users' keys safe. Empty: skip. */
  redisUrl: string;
  /** autocannon: connections and seconds per route. */
  restConnections: number;
  restSeconds: number;
  /** Conversations the REST user owns. */
  restConversations: number;
  /** Longest wait for one answer; a phase past it fails instead of hanging. */
  answerTimeoutMs: number;
  /** Longest wait for a model to load. */
  loadTimeoutMs: number;
  /** llama.cpp's llama-server to compare with ('' skips). Defaults to the one `npm run bench:llama-server` builds, when built (quick: none). */
  llamaServer: string;
  /** Where the JSON goes. Defaults to bench-results/. */
  outDir: string;
}

export function parsePlan(argv: string[]): BenchPlan {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      model: { type: 'string' },
      quant: { type: 'string', default: 'q4_0' },
      threads: { type: 'string' },
      'context-size': { type: 'string' },
      parallel: { type: 'string' },
      'redis-url': { type: 'string' },
      'llama-server': { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(
      'Usage: npm run bench -- [full|quick|cache] [--quick] [--model GGUF] [--quant q4_0|q4_k_m] [--threads N] [--context-size N] [--parallel N] [--redis-url URL|""] [--llama-server PATH|""] [--out DIR]',
    );
    process.exit(0);
  }
  const quick = values.quick;
  const int = (value: string | undefined, fallback: number) => (value === undefined ? fallback : positive(value));
  const defaultModel = quick
    ? path.resolve(ROOT, 'test/fixtures/models/tiny-random-zephyr.gguf')
    : path.join(ROOT, 'bench-results', `tinyllama-shape-${values.quant}.gguf`);
  return {
    quick,
    modelPath: values.model ? path.resolve(values.model) : defaultModel,
    makeModel: !quick && values.model === undefined,
    threads: int(values.threads, quick ? 1 : 2),
    contextSize: int(values['context-size'], 2048),
    parallel: int(values.parallel, 4),
    maxTokens: 64,
    prompt: PROMPT,
    warmReps: 3,
    noPenaltyReps: 2,
    levels: quick
      ? [
          { clients: 1, rounds: 3 },
          { clients: 4, rounds: 2 },
          { clients: 8, rounds: 1 },
        ]
      : [
          { clients: 1, rounds: 2 },
          { clients: 4, rounds: 1 },
          { clients: 8, rounds: 1 },
        ],
    turns: 10,
    conversations: quick ? 1 : 3,
    readingMs: 1000,
    cacheClients: 8,
    cacheRequests: quick ? 25 : 200,
    redisUrl: values['redis-url'] ?? 'redis://127.0.0.1:6379/15',
    restConnections: 50,
    restSeconds: quick ? 3 : 10,
    restConversations: 50,
    answerTimeoutMs: quick ? 30_000 : 180_000,
    loadTimeoutMs: quick ? 60_000 : 300_000,
    llamaServer:
      values['llama-server'] === undefined
        ? quick || !fs.existsSync(LLAMA_SERVER)
          ? ''
          : LLAMA_SERVER
        : values['llama-server'] && path.resolve(values['llama-server']),
    outDir: path.resolve(values.out ?? path.join(ROOT, 'bench-results')),
  };
}

function positive(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`expected a whole number >= 1, got "${value}"`);
  return n;
}
