/**
 * The one module the rest of the server imports of inference: the Engine interface and its
 * types, the factory that starts it, its error, and the sampling defaults a request is keyed
 * and sampled with. node-llama-cpp lives behind it in a worker thread (worker/); the main
 * thread's side is host/. Inside server/engine/ this file is imported for its types only: it
 * loads the host, which the worker thread must not.
 */
import type { Config } from '../config.js';
import type { EngineError } from './engine-error.js';
import { WorkerEngine } from './host/engine-client.js';

export { EngineError, type EngineErrorCode } from './engine-error.js';
export { resolveSampling, SAMPLING_DEFAULTS, type ClientSampling } from './host/sampling.js';
export type { WorkerEngine };

export type Role = 'system' | 'user' | 'assistant';

export interface ChatTurn {
  role: Role;
  content: string;
}

export interface SamplingOptions {
  /** Defaults to 0.7. 0 is greedy. */
  temperature?: number;
  /** Defaults to 0.95. */
  topP?: number;
  /** Defaults to 40. */
  topK?: number;
  /** Defaults to config.maxTokens. */
  maxTokens?: number;
  /** Defaults to a random seed. */
  seed?: number;
  /** Defaults to 1.1. */
  repeatPenalty?: number;
  /** Extra stop strings. Defaults to none (the template's end-of-turn always stops). */
  stop?: string[];
  /** Constrains the answer to JSON (any object, or one matching a schema). Defaults to none. */
  grammar?: GrammarSpec;
}

/** A grammar the worker builds and samples with: JSON of any shape, or JSON matching a schema. */
export type GrammarSpec = { type: 'json' } | { type: 'json_schema'; schema: object };

/** What the engine would evaluate for a request, after the context budget was applied. */
export interface PromptPlan {
  /** The exact prompt text rendered by the chat template. */
  prompt: string;
  promptTokens: number;
  /** Tokens of the whole prompt, before any message was dropped; set only when some were. */
  fullPromptTokens?: number;
  includedMessages: number;
  droppedMessages: number;
}

export interface GenerateRequest {
  /** Fairness key: the queue round-robins across users. */
  userId: string;
  /** Prompt-reuse key (the conversation id): a resident sequence keeps its KV cache. */
  sessionKey?: string;
  /** System prompt first if any, then history, the new user message last. */
  messages: ChatTurn[];
  options?: SamplingOptions;
}

export type FinishReason = 'stop' | 'length' | 'abort';

export type GenerateEvent =
  | { type: 'queued'; position: number; etaMs?: number }
  | { type: 'start'; plan: PromptPlan }
  | { type: 'token'; text: string }
  | {
      type: 'done';
      finishReason: FinishReason;
      usage: {
        promptTokens: number;
        completionTokens: number;
        /** Prompt tokens whose KV cache was reused from the conversation's previous turn (not evaluated again). */
        cachedPromptTokens?: number;
      };
      timings: { queueMs: number; ttftMs: number; totalMs: number; tokensPerSecond: number };
      context: { includedMessages: number; droppedMessages: number };
    };

export interface ModelInfo {
  loaded: boolean;
  name: string | null;
  file: string | null;
  architecture: string | null;
  parameters: number | null;
  quantization: string | null;
  contextSize: number;
  threads: number;
  parallel: number;
  loadTimeMs: number | null;
  /** Identifies the model file's content for cache keys (sha256 of its size, first and last MiB; path-independent). */
  fingerprint: string | null;
  /** Where the chat template came from: the model's GGUF metadata, or the default Zephyr-style one. */
  template?: 'model' | 'default' | null;
}

export interface InferenceStats {
  activeSequences: number;
  queueDepth: number;
  requests: number;
  tokensGenerated: number;
  ttftMs: { p50: number | null; p95: number | null };
  tokensPerSecond: { p50: number | null; p95: number | null };
  /** Prompt tokens evaluated, and prompt tokens whose KV cache was reused instead. */
  promptTokensEvaluated?: number;
  promptTokensCached?: number;
  /** Generations that ended in an error (not counting aborts). */
  failures?: number;
  /** Times the inference worker died and was restarted. */
  workerRestarts?: number;
}

export interface EngineStatus {
  state: 'loading' | 'ready' | 'unavailable' | 'restarting';
  /** Why the model is not ready and how to fix it; null when ready. */
  hint: string | null;
}

export interface Engine {
  /** Resolves once the first load attempt finished (ready or unavailable). */
  ready(): Promise<EngineStatus>;
  status(): EngineStatus;
  /** Applies the chat template and context budget; throws EngineError('context_overflow'). */
  plan(messages: ChatTurn[], options?: SamplingOptions): Promise<PromptPlan>;
  /** Streams one answer. Aborting the signal ends it within one decode step (finishReason 'abort'). */
  generate(request: GenerateRequest, signal?: AbortSignal): AsyncIterable<GenerateEvent>;
  /**
   * Why a request of this user would be refused if it arrived now (`busy`: the per-user limit
   * or a full queue), or undefined. Advisory, to refuse before storing anything: generate decides.
   */
  refusal(userId: string): EngineError | undefined;
  model(): ModelInfo;
  stats(): InferenceStats;
  /** Observe each finished generation (for Prometheus histograms). Returns an unsubscribe. */
  onCompleted(listener: (done: Extract<GenerateEvent, { type: 'done' }>) => void): () => void;
  /** Disposes context, model and llama in the worker, then lets it exit. */
  close(): Promise<void>;
}

/** The subset of a pino logger the engine writes to. */
export interface EngineLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

const SILENT: EngineLogger = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * Starts the engine; the model loads in the background (see ready()). `logger` receives load,
 * crash and worker log lines (pino's logger fits). Defaults to a silent logger.
 */
export function createEngine(config: Config, logger: EngineLogger = SILENT): WorkerEngine {
  return new WorkerEngine(config, logger);
}
