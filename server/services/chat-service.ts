import type { Kysely } from 'kysely';
import type { FastifyBaseLogger } from 'fastify';
import type { ChatOptions as ClientOptions } from '../../shared/contract/chat-frames.js';
import type { Config } from '../config.js';
import type { ResponseCache } from '../cache/response-cache.js';
import type { Database } from '../db/tables/index.js';
import { createWriteBatch } from '../db/write-batch.js';
import { resolveSampling, type Engine, type SamplingOptions } from '../engine/engine.js';
import { lookUpAnswer, type Lookup } from './answer-cache.js';
import type { AnswerEvents } from './answer-events.js';
import { replay } from './cache-replay.js';
import {
  finishedFields,
  PENDING_ANSWER,
  readTurn,
  storeTurn,
  TurnChanged,
  type PreparedTurn,
  type TurnRequest,
} from './chat-turn.js';
import { answerFromModel } from './model-answer.js';
import type { ServerFrame } from '../../shared/contract/chat-frames.js';
import { errorFrame, storedErrorFrame, TurnContext, type ErrorFrame } from './turn-context.js';

export interface ChatRequest extends TurnRequest {
  id: string;
  options?: ClientOptions;
}

/** Frames the chat service sends to the client (queued, start, token, done, error). */
export type ChatFrame = ServerFrame;

export interface ChatDeps {
  db: Kysely<Database>;
  engine: Engine;
  cache: ResponseCache;
  config: Config;
  log: FastifyBaseLogger;
  /** Told of every finished answer, from the model or the cache. */
  answers: AnswerEvents;
}

export type ChatService = ReturnType<typeof createChatService>;

/** Reads of a conversation that another write overtook are retried this often, then stored as read. */
const STORE_ATTEMPTS = 3;

interface Begun {
  stored: PreparedTurn;
  sampling: SamplingOptions;
  lookup: Lookup | { failure: ErrorFrame };
}

/** One chat turn: read, plan, look up, store, answer from cache or model, report — transport-free. */
export function createChatService(deps: ChatDeps) {
  const { db, engine, cache, config, log } = deps;
  const writes = createWriteBatch(db);

  /**
   * Reads the turn, plans and looks it up, then stores it in one transaction: a hit is stored
   * with its answer complete, a miss with a pending answer, a failed plan with the failure (the
   * user's message is kept either way). A conversation written to in between is read again.
   */
  async function begin(userId: string, request: ChatRequest): Promise<Begun> {
    const sampling = resolveSampling(request.options, config);
    for (let attempt = 1; ; attempt++) {
      const draft = await readTurn(db, userId, request);
      const lookup = await lookUpAnswer(deps, draft.messages, sampling, request.options?.noCache === true).catch(
        (error: unknown) => ({ failure: errorFrame(request.id, error, log) }),
      );
      // A request the engine would refuse now (the user's limit, a full queue) is refused
      // before anything is stored. Only a hint: generate admits for real, and a refusal
      // there is reported with the stored turn's ids.
      const refusal = 'failure' in lookup || lookup.hit ? undefined : engine.refusal(userId);
      if (refusal) throw refusal;
      const fields =
        'failure' in lookup
          ? { ...PENDING_ANSWER, status: 'error' as const, error_code: lookup.failure.code }
          : lookup.hit
            ? { ...PENDING_ANSWER, ...finishedFields(lookup.hit.done), content: lookup.hit.text, cached: 1 }
            : PENDING_ANSWER;
      try {
        return {
          stored: await storeTurn(writes, userId, request, draft, fields, attempt < STORE_ATTEMPTS),
          sampling,
          lookup,
        };
      } catch (error) {
        if (!(error instanceof TurnChanged)) throw error;
      }
    }
  }

  return {
    /**
     * Runs one request to its end. Every failure is reported as an error frame: one refused
     * before storing (busy, a bad request) stored nothing; one after names the stored turn
     * (the user's message, and the answer with whatever was streamed and its error).
     */
    async run(
      userId: string,
      request: ChatRequest,
      send: (frame: ChatFrame) => void,
      signal: AbortSignal,
    ): Promise<void> {
      let begun: Begun;
      try {
        begun = await begin(userId, request);
      } catch (error) {
        return send(errorFrame(request.id, error, log));
      }
      const { stored, sampling, lookup } = begun;
      if ('failure' in lookup) return send(storedErrorFrame(lookup.failure, stored));
      const turn = new TurnContext({ request, userId, stored, sampling, lookup, send, signal }, db);
      if (lookup.hit) return void replay(turn, lookup.hit, deps.answers);
      try {
        await answerFromModel(turn, { engine, cache, log, answers: deps.answers });
      } catch (error) {
        const frame = errorFrame(request.id, error, log);
        // A shutdown's cut keeps the partial answer as a crash would: interrupted, not failed.
        const outcome =
          frame.code === 'server_restarting'
            ? { status: 'interrupted' as const, error_code: null }
            : { status: 'error' as const, error_code: frame.code };
        await turn.writer.finish(outcome).catch(() => undefined);
        send(storedErrorFrame(frame, stored));
      }
    },
  };
}
