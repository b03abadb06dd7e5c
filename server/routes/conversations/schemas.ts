import { Type } from 'typebox';

/** Limits of what a client may store; the UI shows the same numbers. */
export const MAX_TITLE_CHARS = 200;
export const MAX_SYSTEM_PROMPT_CHARS = 8000;
export const MAX_QUERY_CHARS = 200;

const Title = Type.String({ minLength: 1, maxLength: MAX_TITLE_CHARS });
const SystemPrompt = Type.String({ maxLength: MAX_SYSTEM_PROMPT_CHARS });

export const ConversationFieldsBody = Type.Object(
  { title: Type.Optional(Title), systemPrompt: Type.Optional(SystemPrompt) },
  { additionalProperties: false },
);
export const ConversationPatchBody = Type.Object(
  { title: Type.Optional(Title), systemPrompt: Type.Optional(SystemPrompt) },
  { additionalProperties: false, minProperties: 1 },
);

export const ListQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: MAX_QUERY_CHARS })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 512, pattern: '^[A-Za-z0-9_-]+$' })),
  },
  { additionalProperties: false },
);

export const ExportQuery = Type.Object({ format: Type.Optional(Type.Enum(['json', 'markdown'])) }, { additionalProperties: false });

export const Conversation = Type.Object({
  id: Type.String(),
  title: Type.String(),
  systemPrompt: Type.String(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

export const ConversationSummary = Type.Object({
  id: Type.String(),
  title: Type.String(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  messageCount: Type.Integer(),
});

/** API.md `message`; 'pending' (still streaming) and `errorCode` are additions. */
export const Message = Type.Object({
  id: Type.String(),
  role: Type.Enum(['system', 'user', 'assistant']),
  content: Type.String(),
  status: Type.Enum(['complete', 'stopped', 'interrupted', 'error', 'pending']),
  createdAt: Type.String(),
  cached: Type.Optional(Type.Boolean()),
  usage: Type.Optional(Type.Object({ promptTokens: Type.Integer(), completionTokens: Type.Integer() })),
  timings: Type.Optional(Type.Object({ ttftMs: Type.Number(), totalMs: Type.Number(), tokensPerSecond: Type.Number() })),
  errorCode: Type.Optional(Type.String()),
});

export const ConversationReply = Type.Object({ conversation: Conversation });
export const ConversationWithMessages = Type.Object({ conversation: Conversation, messages: Type.Array(Message) });
export const ConversationPage = Type.Object({
  conversations: Type.Array(ConversationSummary),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});
