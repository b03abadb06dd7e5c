import type { FastifyBaseLogger } from 'fastify';
import type { ResponseCache } from '../cache/response-cache.js';
import type { Config } from '../config.js';
import {
  EngineError,
  resolveSampling,
  type ChatTurn,
  type ClientSampling,
  type Engine,
  type FinishReason,
  type PromptPlan,
  type SamplingOptions,
} from '../engine/engine.js';
import { lookUpAnswer, storeAnswer } from './answer-cache.js';
import type { AnswerEvents, Done } from './answer-events.js';

export interface CompletionDeps {
  engine: Engine;
  cache: ResponseCache;
  config: Pick<Config, 'maxTokens' | 'contextSize'>;
  log: FastifyBaseLogger;
  /** Told of every finished answer, as the API's. */
  answers: AnswerEvents;
}

export interface CompletionRequest {
  /** The caller's whole conversation: it is answered as sent, never cut to fit. */
  messages: ChatTurn[];
  sampling?: ClientSampling;
}

/** What a caller hears while its answer is made. */
export interface CompletionListener {
  /** Waiting in the fair queue at `position`. */
  queued?(position: number, etaMs: number | undefined): void;
  /** The answer begins: from the response cache or from the model. */
  began?(source: { cached: boolean }): void;
  token?(text: string): void;
}

export interface Completion {
  text: string;
  finishReason: FinishReason;
  usage: { promptTokens: number; completionTokens: number };
  cached: boolean;
}

export type CompletionService = ReturnType<typeof createCompletionService>;

/**
 * One answer for the API: planned and looked up in the response cache like a chat turn, then
 * answered from the cache or by the model in the same fair queue, and announced as the API's.
 * Nothing is stored as a conversation.
 */
export function createCompletionService(deps: CompletionDeps) {
  const { engine, config } = deps;

  async function fromModel(
    userId: string,
    messages: ChatTurn[],
    sampling: SamplingOptions,
    listener: CompletionListener,
    signal: AbortSignal,
  ): Promise<{ text: string; done: Done }> {
    let text = '';
    for await (const event of engine.generate({ userId, messages, options: sampling }, signal)) {
      if (event.type === 'queued') listener.queued?.(event.position, event.etaMs);
      else if (event.type === 'start') listener.began?.({ cached: false });
      else if (event.type === 'token') {
        text += event.text;
        listener.token?.(event.text);
      } else return { text, done: event };
    }
    throw new EngineError('internal', 'The model stopped without finishing the answer.');
  }

  return {
    /**
     * Answers `request` for `userId`. Throws EngineError: `context_overflow` when the messages
     * and the answer budget do not fit one sequence, `busy` when the queue is full, and the rest.
     */
    async complete(
      userId: string,
      request: CompletionRequest,
      listener: CompletionListener,
      signal: AbortSignal,
    ): Promise<Completion> {
      const sampling = resolveSampling(request.sampling, config);
      const lookup = await lookUpAnswer(deps, request.messages, sampling, false);
      if (lookup.plan.droppedMessages > 0) throw tooLong(lookup.plan, sampling, config);
      if (lookup.hit) {
        listener.began?.({ cached: true });
        listener.token?.(lookup.hit.text);
        deps.answers.answered(lookup.hit.done, { cached: true, userId, route: 'api' });
        return { text: lookup.hit.text, ...summary(lookup.hit.done), cached: true };
      }
      const { text, done } = await fromModel(userId, request.messages, sampling, listener, signal);
      deps.answers.answered(done, { cached: false, userId, route: 'api' });
      storeAnswer(deps, lookup.key, text, done);
      return { text, ...summary(done), cached: false };
    },
  };
}

function summary(done: Done): Pick<Completion, 'finishReason' | 'usage'> {
  const { promptTokens, completionTokens } = done.usage;
  return { finishReason: done.finishReason, usage: { promptTokens, completionTokens } };
}

/** The API answers the caller's messages as sent: a conversation that had to be cut is refused. */
function tooLong(plan: PromptPlan, sampling: SamplingOptions, config: Pick<Config, 'contextSize'>): EngineError {
  const prompt = plan.fullPromptTokens ?? plan.promptTokens;
  const answer = sampling.maxTokens ?? 0;
  return new EngineError(
    'context_overflow',
    `This model's maximum context length is ${config.contextSize} tokens. However, you requested ` +
      `${prompt + answer} tokens (${prompt} in the messages, ${answer} in the completion). ` +
      'Please reduce the length of the messages or the completion.',
  );
}
