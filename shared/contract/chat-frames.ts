/**
 * The chat socket's frames, named by direction: `Client…` frames go from the client to the
 * server, `Server…` frames from the server to the client.
 */
import { Type, type Static } from 'typebox';
import { User } from './auth.js';
import { ErrorCodeSchema, RateLimitKind } from './errors.js';
import { Id } from './ids.js';
import {
  MAX_ACCESS_TOKEN_CHARS,
  MAX_ANSWER_TOKENS,
  MAX_STOP_CHARS,
  MAX_STOP_STRINGS,
  MAX_SYSTEM_PROMPT_CHARS,
} from './limits.js';

// ---------------------------------------------------------------- client → server

/** Sampling options a chat frame may carry. */
export const ChatOptions = Type.Object(
  {
    temperature: Type.Optional(Type.Number({ minimum: 0, maximum: 2 })),
    topP: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1 })),
    topK: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })),
    maxTokens: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_ANSWER_TOKENS })),
    seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 4294967295 })),
    noCache: Type.Optional(Type.Boolean()),
    /** Extra stop strings (as llama.cpp's server and OpenAI's API accept). */
    stop: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: MAX_STOP_CHARS }), { maxItems: MAX_STOP_STRINGS }),
    ),
  },
  { additionalProperties: false },
);
export type ChatOptions = Static<typeof ChatOptions>;

export const ClientAuthFrame = Type.Object(
  { type: Type.Literal('auth'), token: Type.String({ minLength: 1, maxLength: MAX_ACCESS_TOKEN_CHARS }) },
  { additionalProperties: false },
);
export type ClientAuthFrame = Static<typeof ClientAuthFrame>;

/** Asks for an answer: to `content`, or (`regenerate`) again to the last question. */
export const ClientChatFrame = Type.Object(
  {
    type: Type.Literal('chat'),
    id: Id,
    conversationId: Type.Optional(Id),
    content: Type.Optional(Type.String()),
    /** Only when conversationId is absent: starts a new conversation with it. */
    systemPrompt: Type.Optional(Type.String({ maxLength: MAX_SYSTEM_PROMPT_CHARS })),
    regenerate: Type.Optional(Type.Boolean()),
    options: Type.Optional(ChatOptions),
  },
  { additionalProperties: false },
);
export type ClientChatFrame = Static<typeof ClientChatFrame>;

export const ClientStopFrame = Type.Object({ type: Type.Literal('stop'), id: Id }, { additionalProperties: false });
export type ClientStopFrame = Static<typeof ClientStopFrame>;

export const ClientPingFrame = Type.Object({ type: Type.Literal('ping') }, { additionalProperties: false });
export type ClientPingFrame = Static<typeof ClientPingFrame>;

/** Each client frame's schema by its `type`. */
export const clientFrames = {
  auth: ClientAuthFrame,
  chat: ClientChatFrame,
  stop: ClientStopFrame,
  ping: ClientPingFrame,
};
export type ClientFrame = ClientAuthFrame | ClientChatFrame | ClientStopFrame | ClientPingFrame;

// ---------------------------------------------------------------- server → client

export const FinishReason = Type.Enum(['stop', 'length', 'abort']);
export type FinishReason = Static<typeof FinishReason>;

export const ServerReadyFrame = Type.Object({ type: Type.Literal('ready'), user: User });

export const ServerQueuedFrame = Type.Object({
  type: Type.Literal('queued'),
  id: Type.String(),
  position: Type.Integer(),
  etaMs: Type.Optional(Type.Number()),
});

export const ServerStartFrame = Type.Object({
  type: Type.Literal('start'),
  id: Type.String(),
  conversationId: Type.String(),
  userMessageId: Type.String(),
  assistantMessageId: Type.String(),
});
export type ServerStartFrame = Static<typeof ServerStartFrame>;

export const ServerTokenFrame = Type.Object({ type: Type.Literal('token'), id: Type.String(), text: Type.String() });

export const ServerDoneFrame = Type.Object({
  type: Type.Literal('done'),
  id: Type.String(),
  assistantMessageId: Type.String(),
  finishReason: FinishReason,
  cached: Type.Boolean(),
  usage: Type.Object({
    promptTokens: Type.Integer(),
    completionTokens: Type.Integer(),
    /** Prompt tokens whose KV cache was reused from the conversation's previous turn. */
    cachedPromptTokens: Type.Optional(Type.Integer()),
  }),
  timings: Type.Object({
    queueMs: Type.Number(),
    ttftMs: Type.Number(),
    totalMs: Type.Number(),
    tokensPerSecond: Type.Number(),
  }),
  context: Type.Object({ includedMessages: Type.Integer(), droppedMessages: Type.Integer() }),
});
export type ServerDoneFrame = Static<typeof ServerDoneFrame>;

export const ServerErrorFrame = Type.Object({
  type: Type.Literal('error'),
  /** The request it ends; absent for errors of the socket itself. */
  id: Type.Optional(Type.String()),
  code: ErrorCodeSchema,
  message: Type.String(),
  /** With `busy`: when to try again, estimated from measured throughput. */
  retryAfterMs: Type.Optional(Type.Number()),
  /** With `rate_limited`: which limit was hit. */
  limit: Type.Optional(RateLimitKind),
  /**
   * Set when the request's turn was stored before it failed (the user's message and the failed
   * answer): retry into this conversation (regenerate) rather than starting a new one.
   */
  conversationId: Type.Optional(Type.String()),
  userMessageId: Type.Optional(Type.String()),
  assistantMessageId: Type.Optional(Type.String()),
});
export type ServerErrorFrame = Static<typeof ServerErrorFrame>;

export const ServerPongFrame = Type.Object({ type: Type.Literal('pong') });

export const ServerFrame = Type.Union([
  ServerReadyFrame,
  ServerQueuedFrame,
  ServerStartFrame,
  ServerTokenFrame,
  ServerDoneFrame,
  ServerErrorFrame,
  ServerPongFrame,
]);
export type ServerFrame = Static<typeof ServerFrame>;
