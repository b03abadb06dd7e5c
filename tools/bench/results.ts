/** Everything one run measured, as written to bench-results/*.json. */
import type { CacheHitResult } from './cache-hits.js';
import type { ConcurrencyResult } from './concurrency.js';
import type { TurnResult } from './conversation.js';
import type { LlamaServerResult } from './llama-server.js';
import type { Machine } from './machine.js';
import type { ProcMemory } from './proc-memory.js';
import type { ApiStream } from './api-stream.js';
import type { RestResult } from './rest.js';
import type { SingleStreamResult } from './single-stream.js';

export interface BenchSetup {
  mode: 'quick' | 'full';
  model: string;
  modelBytes: number;
  threads: number;
  contextSize: number;
  parallel: number;
  maxTokens: number;
  prompt: string;
  /** Tokens of the prompt as the direct baseline counts them (cache-only runs: absent, no baseline runs). */
  promptTokens?: number;
  /** The pause before each request of the reading conversation run (older results: absent). */
  readingMs?: number;
  /** Which phases ran: absent for all of them, 'cache' for the cache-hit phase alone. */
  phases?: 'cache';
}

export interface BenchResults {
  setup: BenchSetup;
  machine: Machine;
  startedAt: string;
  durationSec?: number;
  /** The direct baseline (cache-only runs: absent). */
  direct?: { loadMs: number; memory?: ProcMemory };
  single?: SingleStreamResult;
  /** Streamed /v1/chat/completions, one at a time. */
  api?: ApiStream[];
  concurrency?: ConcurrencyResult;
  conversation?: TurnResult[];
  /** The same with plan.readingMs before every request. */
  conversationReading?: TurnResult[];
  cacheMemory?: CacheHitResult;
  cacheRedis?: CacheHitResult;
  /** Redis with the memory tier off: every hit reads Redis. */
  cacheRedisOnly?: CacheHitResult;
  rest?: RestResult;
  /** llama.cpp's own server against direct node-llama-cpp, when a llama-server binary is at hand. */
  llamaServer?: LlamaServerResult;
  /** The portal server's memory after every phase on it (PARALLEL sequences, the model loaded). */
  portalMemory?: ProcMemory;
  /** Phases that failed; their rows show "–". */
  failures: Array<{ phase: string; message: string }>;
}
