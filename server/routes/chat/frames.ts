import { Type, type Static } from 'typebox';
import { Compile } from 'typebox/compile';

const Id = Type.String({ minLength: 1, maxLength: 64 });

const Options = Type.Object(
  {
    temperature: Type.Optional(Type.Number({ minimum: 0, maximum: 2 })),
    topP: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1 })),
    topK: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })),
    maxTokens: Type.Optional(Type.Integer({ minimum: 1, maximum: 32768 })),
    seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 4294967295 })),
    noCache: Type.Optional(Type.Boolean()),
    /** Extra stop strings (as llama.cpp's server and OpenAI's API accept). */
    stop: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 32 }), { maxItems: 4 })),
  },
  { additionalProperties: false },
);

export const ChatFrameSchema = Type.Object(
  {
    type: Type.Literal('chat'),
    id: Id,
    conversationId: Type.Optional(Id),
    content: Type.Optional(Type.String()),
    systemPrompt: Type.Optional(Type.String({ maxLength: 8000 })),
    regenerate: Type.Optional(Type.Boolean()),
    options: Type.Optional(Options),
  },
  { additionalProperties: false },
);
const StopFrame = Type.Object({ type: Type.Literal('stop'), id: Id }, { additionalProperties: false });
const PingFrame = Type.Object({ type: Type.Literal('ping') }, { additionalProperties: false });
const AuthFrame = Type.Object({ type: Type.Literal('auth'), token: Type.String({ minLength: 1, maxLength: 4096 }) }, { additionalProperties: false });

export type ChatClientFrame = Static<typeof ChatFrameSchema>;
export type ClientFrame = ChatClientFrame | Static<typeof StopFrame> | Static<typeof PingFrame> | Static<typeof AuthFrame>;

const validators = {
  chat: Compile(ChatFrameSchema),
  stop: Compile(StopFrame),
  ping: Compile(PingFrame),
  auth: Compile(AuthFrame),
};

export type ParseResult = { ok: true; frame: ClientFrame } | { ok: false; id?: string; message: string };

/** Parses and validates one client frame; the message says what is wrong in it. */
export function parseFrame(raw: string, maxContentChars: number): ParseResult {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { ok: false, message: 'The frame is not valid JSON.' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, message: 'A frame must be a JSON object.' };
  const record = value as Record<string, unknown>;
  const id = typeof record.id === 'string' ? record.id.slice(0, 64) : undefined;
  const type = record.type;
  if (typeof type !== 'string' || !(type in validators)) {
    return { ok: false, id, message: `Unknown frame type ${JSON.stringify(type)}: use chat, stop, ping or auth.` };
  }
  const validator = validators[type as keyof typeof validators];
  if (!validator.Check(value)) return { ok: false, id, message: describe([...validator.Errors(value)]) };
  if (type === 'chat') {
    const problem = chatProblem(value as ChatClientFrame, maxContentChars);
    if (problem) return { ok: false, id, message: problem };
  }
  return { ok: true, frame: value as ClientFrame };
}

function chatProblem(frame: ChatClientFrame, maxContentChars: number): string | null {
  if (frame.regenerate) {
    if (!frame.conversationId) return 'regenerate needs the conversationId of the answer to replace.';
    if (frame.content !== undefined) return 'Send either content or regenerate, not both.';
    return null;
  }
  if (frame.content === undefined || frame.content.trim() === '') return 'content must be a non-empty message.';
  if (frame.content.length > maxContentChars) return `The message is too long: ${frame.content.length} characters, the limit is ${maxContentChars}.`;
  if (frame.systemPrompt !== undefined && frame.conversationId) return 'systemPrompt only starts a new conversation; change it with PATCH /api/conversations/:id.';
  return null;
}

function describe(errors: Array<{ instancePath: string; message: string; params: unknown }>): string {
  const extra = errors.find((e) => Array.isArray((e.params as { additionalProperties?: unknown }).additionalProperties));
  if (extra) return `Unknown field ${JSON.stringify((extra.params as { additionalProperties: string[] }).additionalProperties[0])} in the frame.`;
  const first = errors.find((e) => e.instancePath !== '') ?? errors[0];
  if (!first) return 'The frame is not valid.';
  const field = first.instancePath.split('/').filter(Boolean).join('.') || 'frame';
  return `Invalid ${field}: ${first.message}.`;
}
