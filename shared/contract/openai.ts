/**
 * The OpenAI wire format spoken under /v1, as OpenAI's own server writes it. Only what the
 * portal implements is described; clients ignore what they do not know.
 */
import { Type, type Static } from 'typebox';

/** `type` of an error, as OpenAI names them. */
export type OpenAiErrorType = 'invalid_request_error' | 'authentication_error' | 'rate_limit_error' | 'server_error';

/** The body of every /v1 error. `param` names the request field at fault, when there is one. */
export const OpenAiErrorBody = Type.Object({
  error: Type.Object({
    message: Type.String(),
    type: Type.String(),
    param: Type.Union([Type.String(), Type.Null()]),
    code: Type.Union([Type.String(), Type.Null()]),
  }),
});
export interface OpenAiErrorBody {
  error: { message: string; type: OpenAiErrorType | (string & {}); param: string | null; code: string | null };
}

/** Everything the portal serves belongs to it. */
export const MODEL_OWNER = 'pocketllm';

export const OpenAiModel = Type.Object({
  id: Type.String(),
  object: Type.Literal('model'),
  /** Unix seconds. */
  created: Type.Integer(),
  owned_by: Type.String(),
});
export type OpenAiModel = Static<typeof OpenAiModel>;

/** GET /v1/models */
export const OpenAiModelList = Type.Object({ object: Type.Literal('list'), data: Type.Array(OpenAiModel) });
export type OpenAiModelList = Static<typeof OpenAiModelList>;

export const ModelParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 256 }) });

// ---------------------------------------------------------------- chat completions

/** Optional fields may also be sent as null, as many OpenAI-compatible tools do. */
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Optional(Type.Union([schema, Type.Null()]));

export const TextPart = Type.Object({ type: Type.Literal('text'), text: Type.String() });

export const ChatMessage = Type.Object({
  role: Type.Union([Type.Literal('system'), Type.Literal('user'), Type.Literal('assistant')]),
  /** A string, or text parts joined in order. */
  content: Type.Union([Type.String(), Type.Array(TextPart)]),
  name: Type.Optional(Type.String()),
});
export type ChatMessage = Static<typeof ChatMessage>;

export const ResponseFormat = Type.Union([
  Type.Object({ type: Type.Literal('text') }),
  Type.Object({ type: Type.Literal('json_object') }),
  Type.Object({
    type: Type.Literal('json_schema'),
    json_schema: Type.Object({
      name: Type.String({ minLength: 1, maxLength: 64 }),
      description: Type.Optional(Type.String()),
      schema: Type.Optional(Type.Object({})),
      strict: Nullable(Type.Boolean()),
    }),
  }),
]);
export type ResponseFormat = Static<typeof ResponseFormat>;

/**
 * POST /v1/chat/completions. Unknown fields are accepted and ignored, as OpenAI's server does;
 * `tools`, `tool_choice` and `n` other than 1 are accepted by the schema and refused by the route
 * with a message that says why.
 */
export const ChatCompletionRequest = Type.Object({
  model: Type.String({ minLength: 1, maxLength: 256 }),
  messages: Type.Array(ChatMessage, { minItems: 1 }),
  temperature: Nullable(Type.Number({ minimum: 0, maximum: 2 })),
  top_p: Nullable(Type.Number({ minimum: 0, maximum: 1 })),
  max_tokens: Nullable(Type.Integer({ minimum: 1 })),
  max_completion_tokens: Nullable(Type.Integer({ minimum: 1 })),
  stop: Nullable(Type.Union([Type.String(), Type.Array(Type.String(), { maxItems: 4 })])),
  seed: Nullable(Type.Integer()),
  stream: Nullable(Type.Boolean()),
  stream_options: Nullable(Type.Object({ include_usage: Type.Optional(Type.Boolean()) })),
  n: Nullable(Type.Integer({ minimum: 1 })),
  response_format: Nullable(ResponseFormat),
  tools: Type.Optional(Type.Unknown()),
  tool_choice: Type.Optional(Type.Unknown()),
  user: Type.Optional(Type.String()),
});
export type ChatCompletionRequest = Static<typeof ChatCompletionRequest>;

export const CompletionUsage = Type.Object({
  prompt_tokens: Type.Integer(),
  completion_tokens: Type.Integer(),
  total_tokens: Type.Integer(),
});
export type CompletionUsage = Static<typeof CompletionUsage>;

export const OpenAiFinishReason = Type.Union([Type.Literal('stop'), Type.Literal('length')]);
export type OpenAiFinishReason = Static<typeof OpenAiFinishReason>;

/** A non-streamed answer. */
export const ChatCompletion = Type.Object({
  id: Type.String(),
  object: Type.Literal('chat.completion'),
  created: Type.Integer(),
  model: Type.String(),
  choices: Type.Array(
    Type.Object({
      index: Type.Integer(),
      message: Type.Object({ role: Type.Literal('assistant'), content: Type.String() }),
      finish_reason: OpenAiFinishReason,
    }),
  ),
  usage: CompletionUsage,
});
export type ChatCompletion = Static<typeof ChatCompletion>;

/** One `data:` line of a streamed answer. */
export interface ChatCompletionChunk {
  id: string;
  object: 'chat.completion.chunk';
  created: number;
  model: string;
  choices: {
    index: number;
    delta: { role?: 'assistant'; content?: string };
    finish_reason: OpenAiFinishReason | null;
  }[];
  /** With `stream_options.include_usage`: null on every chunk but the last, which has no choices. */
  usage?: CompletionUsage | null;
}
