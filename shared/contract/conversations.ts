import { Type, type Static } from 'typebox';
import { MAX_CONVERSATION_PAGE, MAX_QUERY_CHARS, MAX_SYSTEM_PROMPT_CHARS, MAX_TITLE_CHARS } from './limits.js';

const Title = Type.String({ minLength: 1, maxLength: MAX_TITLE_CHARS });
const SystemPrompt = Type.String({ maxLength: MAX_SYSTEM_PROMPT_CHARS });

/** POST /api/conversations. */
export const ConversationFieldsBody = Type.Object(
  { title: Type.Optional(Title), systemPrompt: Type.Optional(SystemPrompt) },
  { additionalProperties: false },
);
/** PATCH /api/conversations/:id: at least one field. */
export const ConversationPatchBody = Type.Object(
  { title: Type.Optional(Title), systemPrompt: Type.Optional(SystemPrompt) },
  { additionalProperties: false, minProperties: 1 },
);

export const ConversationListQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: MAX_QUERY_CHARS })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_CONVERSATION_PAGE })),
    cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 512, pattern: '^[A-Za-z0-9_-]+$' })),
  },
  { additionalProperties: false },
);
export type ConversationListQuery = Static<typeof ConversationListQuery>;

export const ExportFormat = Type.Enum(['json', 'markdown']);
export type ExportFormat = Static<typeof ExportFormat>;
export const ExportQuery = Type.Object({ format: Type.Optional(ExportFormat) }, { additionalProperties: false });

export const Conversation = Type.Object({
  id: Type.String(),
  title: Type.String(),
  systemPrompt: Type.String(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
export type Conversation = Static<typeof Conversation>;

export const ConversationSummary = Type.Object({
  id: Type.String(),
  title: Type.String(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  messageCount: Type.Integer(),
});
export type ConversationSummary = Static<typeof ConversationSummary>;

export const MessageRole = Type.Enum(['system', 'user', 'assistant']);
export type MessageRole = Static<typeof MessageRole>;
/** 'pending': the answer is still being written, e.g. seen from another tab. */
export const MessageStatus = Type.Enum(['complete', 'stopped', 'interrupted', 'error', 'pending']);
export type MessageStatus = Static<typeof MessageStatus>;

export const Usage = Type.Object({ promptTokens: Type.Integer(), completionTokens: Type.Integer() });
export const MessageTimings = Type.Object({
  ttftMs: Type.Number(),
  totalMs: Type.Number(),
  tokensPerSecond: Type.Number(),
});

export const Message = Type.Object({
  id: Type.String(),
  role: MessageRole,
  content: Type.String(),
  status: MessageStatus,
  createdAt: Type.String(),
  cached: Type.Optional(Type.Boolean()),
  usage: Type.Optional(Usage),
  timings: Type.Optional(MessageTimings),
  /** Why an answer with status 'error' failed (an error code). */
  errorCode: Type.Optional(Type.String()),
  /** 'length': the answer was cut at its token budget (maxTokens / MAX_TOKENS) and can be continued. */
  finishReason: Type.Optional(Type.Literal('length')),
});
export type Message = Static<typeof Message>;

export const ConversationReply = Type.Object({ conversation: Conversation });
export type ConversationReply = Static<typeof ConversationReply>;
export const ConversationWithMessages = Type.Object({ conversation: Conversation, messages: Type.Array(Message) });
export type ConversationWithMessages = Static<typeof ConversationWithMessages>;
export const ConversationPage = Type.Object({
  conversations: Type.Array(ConversationSummary),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});
export type ConversationPage = Static<typeof ConversationPage>;
