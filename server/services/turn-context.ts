import type { Kysely } from 'kysely';
import type { FastifyBaseLogger } from 'fastify';
import { toClientError } from '../client-error.js';
import type { Database } from '../db/tables/index.js';
import type { SamplingOptions } from '../engine/engine.js';
import type { Lookup } from './answer-cache.js';
import { createAnswerWriter, type AnswerWriter } from './answer-writer.js';
import type { Done } from './answer-events.js';
import type { ChatFrame, ChatRequest } from './chat-service.js';
import type { PreparedTurn } from './chat-turn.js';

export type ErrorFrame = Extract<ChatFrame, { type: 'error' }>;

/** Said for a failure the client cannot act on; the details are logged. */
const INTERNAL_MESSAGE = 'Something went wrong while answering. Try again.';

/** The client's error frame for any failure of request `id`; server faults are logged, not sent. */
export function errorFrame(id: string, error: unknown, log: FastifyBaseLogger): ErrorFrame {
  const { error: client } = toClientError(error, {
    log,
    internalMessage: INTERNAL_MESSAGE,
    logMessage: 'chat request failed',
  });
  return { type: 'error', id, ...client };
}

/** The error frame of a turn already stored: it names what was stored, so a retry goes there. */
export function storedErrorFrame(frame: ErrorFrame, stored: PreparedTurn): ErrorFrame {
  const { conversationId, userMessageId, assistantMessageId } = stored;
  return { ...frame, conversationId, userMessageId, assistantMessageId };
}

export interface TurnParts {
  request: ChatRequest;
  userId: string;
  /** The turn as stored: its ids and the messages the model is shown. */
  stored: PreparedTurn;
  sampling: SamplingOptions;
  lookup: Lookup;
  send: (frame: ChatFrame) => void;
  signal: AbortSignal;
}

/**
 * One chat turn once stored: everything answering it needs, and the frames it sends. Made once
 * per request and passed along, whether the answer comes from the cache or the model.
 */
export class TurnContext implements TurnParts {
  readonly request: ChatRequest;
  readonly userId: string;
  readonly stored: PreparedTurn;
  readonly sampling: SamplingOptions;
  readonly lookup: Lookup;
  readonly send: (frame: ChatFrame) => void;
  readonly signal: AbortSignal;
  private started = false;
  private answerWriter: AnswerWriter | undefined;

  constructor(
    parts: TurnParts,
    private readonly db: Kysely<Database>,
  ) {
    ({
      request: this.request,
      userId: this.userId,
      stored: this.stored,
      sampling: this.sampling,
      lookup: this.lookup,
      send: this.send,
      signal: this.signal,
    } = parts);
  }

  get id(): string {
    return this.request.id;
  }

  /** Saves the model's answer as it streams; made on first use, so a cache hit never has one. */
  get writer(): AnswerWriter {
    this.answerWriter ??= createAnswerWriter(this.db, this.stored.assistantMessageId);
    return this.answerWriter;
  }

  /** The start frame, once: the client learns the message ids. */
  start(): void {
    if (this.started) return;
    this.started = true;
    const { conversationId, userMessageId, assistantMessageId } = this.stored;
    this.send({ type: 'start', id: this.id, conversationId, userMessageId, assistantMessageId });
  }

  queued(position: number, etaMs: number | undefined): void {
    this.send({ type: 'queued', id: this.id, position, ...(etaMs === undefined ? {} : { etaMs }) });
  }

  token(text: string): void {
    this.send({ type: 'token', id: this.id, text });
  }

  done(done: Done, cached: boolean): void {
    const { type: _type, ...rest } = done;
    this.send({ type: 'done', id: this.id, assistantMessageId: this.stored.assistantMessageId, cached, ...rest });
  }
}
