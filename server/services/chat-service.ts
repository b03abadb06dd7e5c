import type { Kysely } from 'kysely';
import type { FastifyBaseLogger } from 'fastify';
import type { ChatOptions as ClientOptions } from '../../shared/contract/chat-frames.js';
import type { Config } from '../config.js';
import { cacheKey } from '../cache/cache-key.js';
import type { CachedAnswer, ResponseCache } from '../cache/response-cache.js';
import type { Database } from '../db/tables/index.js';
import { createWriteBatch } from '../db/write-batch.js';
import { EngineError, resolveSampling, type ChatTurn, type Engine, type GenerateEvent, type PromptPlan, type SamplingOptions } from '../engine/engine.js';
import { AppError } from '../errors.js';
import { createAnswerWriter, type AnswerWriter } from './answer-writer.js';
import { PENDING_ANSWER, readTurn, storeTurn, TurnChanged, type PreparedTurn, type TurnRequest } from './chat-turn.js';
import type { ServerFrame } from '../../shared/contract/chat-frames.js';

export interface ChatRequest extends TurnRequest {
  id: string;
  options?: ClientOptions;
}

type Done = Extract<GenerateEvent, { type: 'done' }>;

/** Frames the chat service sends to the client (queued, start, token, done, error). */
export type ChatFrame = ServerFrame;

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

/** Reads of a conversation that another write overtook are retried this often, then stored as read. */
const STORE_ATTEMPTS = 3;

/** What the cache said about a turn's prompt: the plan, its key (none: not cacheable) and the hit. */
interface Lookup {
  key: string | undefined;
  /** A hit: its text and the done it reports (timed from planning to the hit), stored and sent alike. */
  hit: { text: string; done: Done } | undefined;
}

/** One chat turn: read, plan, look up, store, answer from cache or model, report — transport-free. */
export function createChatService(deps: ChatDeps) {
  const { db, engine, cache, config, log } = deps;
  const writes = createWriteBatch(db);

  async function lookUp(messages: ChatTurn[], sampling: SamplingOptions, noCache: boolean): Promise<Lookup> {
    const started = performance.now();
    const plan = await engine.plan(messages, sampling);
    const fingerprint = engine.model().fingerprint;
    const key = !noCache && fingerprint ? cacheKey({ modelFingerprint: fingerprint, prompt: plan.prompt, options: sampling }) : undefined;
    const hit = key ? await cache.get(key) : undefined;
    return { key, hit: hit && { text: hit.text, done: cachedDone(hit, plan, performance.now() - started) } };
  }

  /**
   * Reads the turn, plans and looks it up, then stores it in one transaction: a hit is stored
   * with its answer complete, a miss with a pending answer, a failed plan with the failure (the
   * user's message is kept either way). A conversation written to in between is read again.
   */
  async function begin(userId: string, request: ChatRequest): Promise<{ turn: PreparedTurn; sampling: SamplingOptions; lookup: Lookup | { failure: ErrorFrame } }> {
    const sampling = resolveSampling(request.options, config);
    for (let attempt = 1; ; attempt++) {
      const draft = await readTurn(db, userId, request);
      const lookup = await lookUp(draft.messages, sampling, request.options?.noCache === true).catch((error: unknown) => ({ failure: errorFrame(request.id, error, log) }));
      const fields = 'failure' in lookup ? { ...PENDING_ANSWER, status: 'error' as const, error_code: lookup.failure.code } : lookup.hit ? { ...PENDING_ANSWER, ...finishedRow(lookup.hit.done), content: lookup.hit.text, cached: 1 } : PENDING_ANSWER;
      try {
        return { turn: await storeTurn(writes, userId, request, draft, fields, attempt < STORE_ATTEMPTS), sampling, lookup };
      } catch (error) {
        if (!(error instanceof TurnChanged)) throw error;
      }
    }
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

  /** The model's answer: streamed, saved as it goes, cached when it ended by itself. */
  async function answer(request: ChatRequest & { userId: string }, turn: PreparedTurn, lookup: Lookup, sampling: SamplingOptions, writer: AnswerWriter, send: (f: ChatFrame) => void, signal: AbortSignal): Promise<Done> {
    const done = await generate(request, turn, sampling, writer, send, signal);
    await writer.finish(finishedRow(done));
    if (lookup.key && done.finishReason === 'stop') {
      const entry: CachedAnswer = { text: writer.text, usage: done.usage, finishReason: 'stop', createdAt: new Date().toISOString(), timings: done.timings, context: done.context };
      void cache.set(lookup.key, entry).catch((error: unknown) => log.warn({ err: error }, 'could not cache an answer'));
    }
    return done;
  }

  /** A cached answer, already stored: sent in one go (one write): start, its text, done. */
  function replay(request: ChatRequest, turn: PreparedTurn, { text, done }: NonNullable<Lookup['hit']>, send: (f: ChatFrame) => void): Done {
    send(startFrame(request.id, turn));
    for (let i = 0; i < text.length; i += REPLAY_CHUNK_CHARS) send({ type: 'token', id: request.id, text: text.slice(i, i + REPLAY_CHUNK_CHARS) });
    deps.onCachedAnswer?.(done);
    return done;
  }

  return {
    /**
     * Runs one request to its end. Every failure is reported as an error frame; the user's
     * message and whatever was streamed are already stored when it happens.
     */
    async run(userId: string, request: ChatRequest, send: (frame: ChatFrame) => void, signal: AbortSignal): Promise<void> {
      let begun: Awaited<ReturnType<typeof begin>>;
      try {
        begun = await begin(userId, request);
      } catch (error) {
        return send(errorFrame(request.id, error, log));
      }
      const { turn, sampling, lookup } = begun;
      if ('failure' in lookup) return send(lookup.failure);
      const doneFrame = (done: Done, cached: boolean): ChatFrame => ({ type: 'done', id: request.id, assistantMessageId: turn.assistantMessageId, cached, ...stripType(done) });
      if (lookup.hit) return send(doneFrame(replay(request, turn, lookup.hit, send), true));
      const writer = createAnswerWriter(db, turn.assistantMessageId);
      try {
        send(doneFrame(await answer({ ...request, userId }, turn, lookup, sampling, writer, send, signal), false));
      } catch (error) {
        const frame = errorFrame(request.id, error, log);
        await writer.finish({ status: 'error', error_code: frame.code }).catch(() => undefined);
        send(frame);
      }
    },
  };
}

/** What a cache hit reports: the cached answer's usage, timed from planning to the hit. */
function cachedDone(hit: CachedAnswer, plan: PromptPlan, totalMs: number): Done {
  return {
    type: 'done',
    finishReason: 'stop',
    usage: hit.usage,
    timings: { queueMs: 0, ttftMs: totalMs, totalMs, tokensPerSecond: totalMs > 0 ? (hit.usage.completionTokens * 1000) / totalMs : 0 },
    context: { includedMessages: plan.includedMessages, droppedMessages: plan.droppedMessages },
  };
}

type ErrorFrame = Extract<ChatFrame, { type: 'error' }>;

const stripType = ({ type: _type, ...rest }: Done) => rest;

function startFrame(id: string, turn: PreparedTurn): ChatFrame {
  return { type: 'start', id, conversationId: turn.conversationId, userMessageId: turn.userMessageId, assistantMessageId: turn.assistantMessageId };
}

function finishedRow(done: Done) {
  return {
    status: done.finishReason === 'abort' ? ('stopped' as const) : ('complete' as const),
    prompt_tokens: done.usage.promptTokens,
    completion_tokens: done.usage.completionTokens,
    ttft_ms: done.timings.ttftMs,
    total_ms: done.timings.totalMs,
    tokens_per_second: done.timings.tokensPerSecond,
  };
}

/** Known failures keep their code and message; anything else is logged and reported as internal. */
export function errorFrame(id: string, error: unknown, log: FastifyBaseLogger): ErrorFrame {
  if (error instanceof EngineError) {
    return { type: 'error', id, code: error.code, message: error.message, ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }) };
  }
  if (error instanceof AppError) return { type: 'error', id, code: error.code, message: error.message };
  log.error({ err: error }, 'chat request failed');
  return { type: 'error', id, code: 'internal', message: 'Something went wrong while answering. Try again.' };
}
