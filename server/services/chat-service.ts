import type { Kysely } from 'kysely';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config.js';
import { cacheKey } from '../cache/cache-key.js';
import type { CachedAnswer, ResponseCache } from '../cache/response-cache.js';
import type { Database } from '../db/tables/index.js';
import { EngineError, type Engine, type GenerateEvent, type PromptPlan, type SamplingOptions } from '../engine/engine.js';
import { AppError } from '../errors.js';
import { createAnswerWriter, type AnswerWriter } from './answer-writer.js';
import { prepareTurn, type PreparedTurn, type TurnRequest } from './chat-turn.js';
import { resolveSampling, type ClientOptions } from './sampling.js';

export interface ChatRequest extends TurnRequest {
  id: string;
  options?: ClientOptions;
}

type Done = Extract<GenerateEvent, { type: 'done' }>;

/** Frames of API.md's chat protocol that one request produces. */
export type ChatFrame =
  | { type: 'queued'; id: string; position: number; etaMs?: number }
  | { type: 'start'; id: string; conversationId: string; userMessageId: string; assistantMessageId: string }
  | { type: 'token'; id: string; text: string }
  | ({ type: 'done'; id: string; assistantMessageId: string; cached: boolean } & Omit<Done, 'type'>)
  | { type: 'error'; id: string; code: string; message: string; retryAfterMs?: number };

export interface ChatDeps {
  db: Kysely<Database>;
  engine: Engine;
  cache: ResponseCache;
  config: Config;
  log: FastifyBaseLogger;
  /** Called for each answer served from the cache (model answers are observed by the engine). */
  onCachedAnswer?: (done: Done) => void;
}

/** Cached answers are replayed in pieces of this size: "streamed at once", few frames. */
const REPLAY_CHUNK_CHARS = 256;

export type ChatService = ReturnType<typeof createChatService>;

/** One chat turn: store, plan, answer from cache or model, persist, report — transport-free. */
export function createChatService(deps: ChatDeps) {
  const { db, engine, cache, config, log } = deps;

  async function answer(request: ChatRequest & { userId: string }, turn: PreparedTurn, writer: AnswerWriter, send: (f: ChatFrame) => void, signal: AbortSignal) {
    const sampling = resolveSampling(request.options, config);
    const started = performance.now();
    const plan = await engine.plan(turn.messages, sampling);
    const fingerprint = engine.model().fingerprint;
    const key = !request.options?.noCache && fingerprint ? cacheKey({ modelFingerprint: fingerprint, prompt: plan.prompt, options: sampling }) : undefined;
    const hit = key ? await cache.get(key) : undefined;
    if (hit) {
      const done = await replay(request, turn, hit, plan, writer, send, started);
      deps.onCachedAnswer?.(done);
      return { done, cached: true };
    }
    const done = await generate(request, turn, sampling, writer, send, signal);
    await writer.finish(finishedRow(done, false));
    if (key && done.finishReason === 'stop') {
      const entry: CachedAnswer = { text: writer.text, usage: done.usage, finishReason: 'stop', createdAt: new Date().toISOString(), timings: done.timings, context: done.context };
      void cache.set(key, entry).catch((error: unknown) => log.warn({ err: error }, 'could not cache an answer'));
    }
    return { done, cached: false };
  }

  async function generate(request: ChatRequest & { userId: string }, turn: PreparedTurn, options: SamplingOptions, writer: AnswerWriter, send: (f: ChatFrame) => void, signal: AbortSignal): Promise<Done> {
    const events = engine.generate({ userId: request.userId, sessionKey: turn.conversationId, messages: turn.messages, options }, signal);
    let started = false;
    const start = () => {
      if (!started) send(startFrame(request.id, turn));
      started = true;
    };
    for await (const event of events) {
      if (event.type === 'queued') send({ type: 'queued', id: request.id, position: event.position, ...(event.etaMs === undefined ? {} : { etaMs: event.etaMs }) });
      else if (event.type === 'start') start();
      else if (event.type === 'token') {
        writer.append(event.text);
        send({ type: 'token', id: request.id, text: event.text });
      } else {
        start(); // stopped while still queued: the client still learns the message ids
        return event;
      }
    }
    throw new EngineError('internal', 'The model stopped without finishing the answer.');
  }

  /** Stores a cached answer whole, then sends it in one go (one write): start, its text, done. */
  async function replay(request: ChatRequest, turn: PreparedTurn, hit: CachedAnswer, plan: PromptPlan, writer: AnswerWriter, send: (f: ChatFrame) => void, started: number): Promise<Done> {
    writer.append(hit.text);
    const totalMs = performance.now() - started;
    const timings = { queueMs: 0, ttftMs: totalMs, totalMs, tokensPerSecond: totalMs > 0 ? (hit.usage.completionTokens * 1000) / totalMs : 0 };
    const done: Done = { type: 'done', finishReason: 'stop', usage: hit.usage, timings, context: { includedMessages: plan.includedMessages, droppedMessages: plan.droppedMessages } };
    await writer.finish(finishedRow(done, true));
    send(startFrame(request.id, turn));
    for (let i = 0; i < hit.text.length; i += REPLAY_CHUNK_CHARS) send({ type: 'token', id: request.id, text: hit.text.slice(i, i + REPLAY_CHUNK_CHARS) });
    return done;
  }

  return {
    /**
     * Runs one request to its end. Every failure is reported as an error frame; the user's
     * message and whatever was streamed are already stored when it happens.
     */
    async run(userId: string, request: ChatRequest, send: (frame: ChatFrame) => void, signal: AbortSignal): Promise<void> {
      const full = { ...request, userId };
      let turn: PreparedTurn;
      try {
        turn = await prepareTurn(db, userId, request);
      } catch (error) {
        return send(errorFrame(request.id, error, log));
      }
      const writer = createAnswerWriter(db, turn.assistantMessageId);
      try {
        const { done, cached } = await answer(full, turn, writer, send, signal);
        send({ type: 'done', id: request.id, assistantMessageId: turn.assistantMessageId, cached, ...stripType(done) });
      } catch (error) {
        const frame = errorFrame(request.id, error, log);
        await writer.finish({ status: 'error', error_code: frame.code }).catch(() => undefined);
        send(frame);
      }
    },
  };
}

const stripType = ({ type: _type, ...rest }: Done) => rest;

function startFrame(id: string, turn: PreparedTurn): ChatFrame {
  return { type: 'start', id, conversationId: turn.conversationId, userMessageId: turn.userMessageId, assistantMessageId: turn.assistantMessageId };
}

function finishedRow(done: Done, cached: boolean) {
  return {
    status: done.finishReason === 'abort' ? ('stopped' as const) : ('complete' as const),
    cached: cached ? 1 : 0,
    prompt_tokens: done.usage.promptTokens,
    completion_tokens: done.usage.completionTokens,
    ttft_ms: done.timings.ttftMs,
    total_ms: done.timings.totalMs,
    tokens_per_second: done.timings.tokensPerSecond,
  };
}

/** Known failures keep their code and message; anything else is logged and reported as internal. */
export function errorFrame(id: string, error: unknown, log: FastifyBaseLogger): Extract<ChatFrame, { type: 'error' }> {
  if (error instanceof EngineError) {
    return { type: 'error', id, code: error.code, message: error.message, ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }) };
  }
  if (error instanceof AppError) return { type: 'error', id, code: error.code, message: error.message };
  log.error({ err: error }, 'chat request failed');
  return { type: 'error', id, code: 'internal', message: 'Something went wrong while answering. Try again.' };
}
