/**
 * The typed messages between the main thread (engine-client) and the inference worker.
 * Every request that expects an answer carries an `id`; the worker answers with the same id.
 * Times are epoch milliseconds with a fraction (performance.timeOrigin + performance.now()),
 * which both threads read from the same clock.
 */
import type { ChatTurn, FinishReason, GrammarSpec, PromptPlan } from './engine.js';
import type { EngineErrorCode } from './engine-error.js';

/** What the worker needs to load a model; fixed for the worker's lifetime. */
export interface LoadSettings {
  modelPath: string;
  /** Tokens per sequence (one conversation). */
  contextSize: number;
  /** Sequences in the one context. */
  parallel: number;
  threads: number;
}

/** Sampling after defaults were applied on the main thread: every field is set. */
export interface ResolvedSampling {
  temperature: number;
  topP: number;
  topK: number;
  maxTokens: number;
  seed: number;
  repeatPenalty: number;
  stop: string[];
  grammar: GrammarSpec | null;
}

export interface LoadedModel {
  name: string;
  architecture: string | null;
  parameters: number | null;
  quantization: string | null;
  /** Where the chat template came from: the GGUF metadata or the documented default. */
  template: 'model' | 'default';
  loadTimeMs: number;
}

export type ToWorker =
  | { type: 'load'; settings: LoadSettings }
  | { type: 'plan'; id: number; messages: ChatTurn[]; answerBudget: number }
  | { type: 'generate'; id: number; sessionKey: string | null; messages: ChatTurn[]; sampling: ResolvedSampling }
  | { type: 'abort'; id: number }
  | { type: 'dispose' }
  /** Test hook: make the worker die, as a bug ('throw') or an exit ('exit') would. */
  | { type: 'crash'; how: 'throw' | 'exit' };

/** The worker's report of one finished generation. */
export interface WorkerDone {
  type: 'done';
  id: number;
  finishReason: FinishReason;
  promptTokens: number;
  /** Prompt tokens whose KV cache was reused from the sequence's previous turn. */
  cachedPromptTokens: number;
  completionTokens: number;
  /** When the first completion token was sampled; null if none was. */
  firstTokenAt: number | null;
  lastTokenAt: number | null;
  includedMessages: number;
  droppedMessages: number;
}

export type FromWorker =
  | { type: 'loaded'; model: LoadedModel }
  | { type: 'load-failed'; message: string }
  | { type: 'log'; level: 'debug' | 'info' | 'warn' | 'error'; message: string }
  | { type: 'planned'; id: number; plan: PromptPlan }
  | { type: 'start'; id: number; plan: PromptPlan }
  | { type: 'token'; id: number; text: string }
  | WorkerDone
  | { type: 'failed'; id: number; code: EngineErrorCode; message: string }
  | { type: 'disposed' }
  /** An unexpected error: the worker disposes the model and exits right after sending it. */
  | { type: 'fatal'; message: string };

export const now = (): number => performance.timeOrigin + performance.now();
