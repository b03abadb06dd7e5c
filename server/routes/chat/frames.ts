import { Compile } from 'typebox/compile';
import { clientFrames, type ClientChatFrame, type ClientFrame } from '../../../shared/contract/chat-frames.js';
import { MAX_ID_CHARS } from '../../../shared/contract/limits.js';

const validators = {
  chat: Compile(clientFrames.chat),
  stop: Compile(clientFrames.stop),
  ping: Compile(clientFrames.ping),
  auth: Compile(clientFrames.auth),
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
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { ok: false, message: 'A frame must be a JSON object.' };
  const record = value as Record<string, unknown>;
  const id = typeof record.id === 'string' ? record.id.slice(0, MAX_ID_CHARS) : undefined;
  const type = record.type;
  if (typeof type !== 'string' || !(type in validators)) {
    return { ok: false, id, message: `Unknown frame type ${JSON.stringify(type)}: use chat, stop, ping or auth.` };
  }
  const validator = validators[type as keyof typeof validators];
  if (!validator.Check(value)) return { ok: false, id, message: describe([...validator.Errors(value)]) };
  if (type === 'chat') {
    const problem = chatProblem(value as ClientChatFrame, maxContentChars);
    if (problem) return { ok: false, id, message: problem };
  }
  return { ok: true, frame: value as ClientFrame };
}

function chatProblem(frame: ClientChatFrame, maxContentChars: number): string | null {
  if (frame.regenerate) {
    if (!frame.conversationId) return 'regenerate needs the conversationId of the answer to replace.';
    if (frame.content !== undefined) return 'Send either content or regenerate, not both.';
    return null;
  }
  if (frame.content === undefined || frame.content.trim() === '') return 'content must be a non-empty message.';
  if (frame.content.length > maxContentChars)
    return `The message is too long: ${frame.content.length} characters, the limit is ${maxContentChars}.`;
  if (frame.systemPrompt !== undefined && frame.conversationId)
    return 'systemPrompt only starts a new conversation; change it with PATCH /api/conversations/:id.';
  return null;
}

function describe(errors: Array<{ instancePath: string; message: string; params: unknown }>): string {
  const extra = errors.find((e) =>
    Array.isArray((e.params as { additionalProperties?: unknown }).additionalProperties),
  );
  if (extra)
    return `Unknown field ${JSON.stringify((extra.params as { additionalProperties: string[] }).additionalProperties[0])} in the frame.`;
  const first = errors.find((e) => e.instancePath !== '') ?? errors[0];
  if (!first) return 'The frame is not valid.';
  const field = first.instancePath.split('/').filter(Boolean).join('.') || 'frame';
  return `Invalid ${field}: ${first.message}.`;
}
