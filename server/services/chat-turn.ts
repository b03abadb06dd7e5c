import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/tables/index.js';
import { findConversation } from '../db/repositories/conversations.js';
import { findUserById } from '../db/repositories/users.js';
import { deleteMessage, insertMessage, listMessages, newestMessageSeq } from '../db/repositories/messages.js';
import type { MessageRow } from '../db/tables/message.table.js';
import type { WriteBatch } from '../db/write-batch.js';
import type { ChatTurn, GenerateEvent } from '../engine/engine.js';
import { badRequest, notFound, unauthenticated } from '../errors.js';
import { createConversationService, DEFAULT_TITLE, deriveTitle } from './conversation-service.js';

export interface TurnRequest {
  conversationId?: string;
  content?: string;
  systemPrompt?: string;
  regenerate?: boolean;
}

/** A turn as read, before anything is written: what the model will be shown. */
export interface TurnDraft {
  /** Null for a new conversation. */
  conversation: { id: string; title: string } | null;
  /** The conversation's newest message when read: the turn is stored only on top of it. */
  newestSeq: number | null;
  /** Regenerate: the answer it replaces (if any) and the user message it answers again. */
  replacesId: string | null;
  userMessageId: string | null;
  /** System prompt first (if any), the whole history, the new user message last. */
  messages: ChatTurn[];
}

export interface PreparedTurn {
  conversationId: string;
  userMessageId: string;
  assistantMessageId: string;
  messages: ChatTurn[];
}

/** The answer row's fields when it is stored: pending (to stream), complete (cached) or failed. */
export type AnswerFields = Pick<
  MessageRow,
  | 'content'
  | 'status'
  | 'cached'
  | 'prompt_tokens'
  | 'completion_tokens'
  | 'ttft_ms'
  | 'total_ms'
  | 'tokens_per_second'
  | 'error_code'
  | 'finish_reason'
>;

export const PENDING_ANSWER: AnswerFields = {
  content: '',
  status: 'pending',
  cached: 0,
  prompt_tokens: null,
  completion_tokens: null,
  ttft_ms: null,
  total_ms: null,
  tokens_per_second: null,
  error_code: null,
  finish_reason: null,
};

/** The conversation was written to between reading and storing a turn: read it again. */
export class TurnChanged extends Error {
  override name = 'TurnChanged';
}

const now = () => new Date().toISOString();

/** Said to a user whose account went away while a turn of theirs was being stored. */
const NO_ACCOUNT = 'Your account was disabled or deleted; nothing was stored.';

/** SQLite refused a row whose user (or conversation) was deleted in between. */
const isForeignKeyError = (error: unknown) =>
  (error as { code?: unknown } | null)?.code === 'SQLITE_CONSTRAINT_FOREIGNKEY';

/** Rows worth showing the model again: no failed answers, nothing empty. */
const usable = (row: Pick<MessageRow, 'status' | 'content'>) => row.status !== 'error' && row.content.trim() !== '';

/** Reads what a turn needs (a new conversation needs nothing); writes nothing. */
export async function readTurn(db: Kysely<Database>, userId: string, request: TurnRequest): Promise<TurnDraft> {
  if (!request.conversationId) {
    if (request.regenerate) throw badRequest('regenerate needs the conversationId of the answer to replace.');
    const messages = withSystem(request.systemPrompt ?? '', [{ role: 'user', content: request.content ?? '' }]);
    return { conversation: null, newestSeq: null, replacesId: null, userMessageId: null, messages };
  }
  const conversation = await findConversation(db, userId, request.conversationId);
  if (!conversation) throw notFound('Conversation');
  const rows = await listMessages(db, conversation.id);
  const newestSeq = rows.at(-1)?.seq ?? null;
  let replacesId: string | null = null;
  let userMessageId: string | null = null;
  if (request.regenerate) {
    if (rows.at(-1)?.role === 'assistant') replacesId = rows.pop()!.id;
    const last = rows.at(-1);
    if (last?.role !== 'user') throw badRequest('There is no answer to regenerate in this conversation.');
    userMessageId = last.id;
  }
  const shown: Array<Pick<MessageRow, 'role' | 'content' | 'status'>> = request.regenerate
    ? rows
    : [...rows, { role: 'user', content: request.content ?? '', status: 'complete' }];
  const turns = shown.filter(usable).map((r): ChatTurn => ({ role: r.role, content: r.content }));
  return {
    conversation: { id: conversation.id, title: conversation.title },
    newestSeq,
    replacesId,
    userMessageId,
    messages: withSystem(conversation.system_prompt, turns),
  };
}

/** The system prompt first, when there is one. */
function withSystem(systemPrompt: string, turns: ChatTurn[]): ChatTurn[] {
  const system = systemPrompt.trim();
  return system ? [{ role: 'system', content: system }, ...turns] : turns;
}

/**
 * Stores a read turn in one transaction (shared with the turns stored alongside it): the
 * conversation (if new), the user's message (or, to regenerate, the old answer dropped) and the
 * answer row — pending before generation starts, so what the user sent is never lost, or
 * complete when the cache had it. Throws TurnChanged when another write came in between
 * (`check`), so the history shown to the model stays exact.
 */
export function storeTurn(
  writes: WriteBatch,
  userId: string,
  request: TurnRequest,
  draft: TurnDraft,
  answer: AnswerFields,
  check = true,
): Promise<PreparedTurn> {
  const stored = writes.transaction(async (trx) => {
    // Checked in the transaction that writes: a user disabled or deleted since the socket
    // authenticated is refused, not stored under (or failed on) an account that is gone.
    const user = await findUserById(trx, userId);
    if (!user || user.disabled === 1) throw unauthenticated(NO_ACCOUNT);
    const conversations = createConversationService(trx);
    let conversationId: string;
    if (draft.conversation) {
      conversationId = draft.conversation.id;
      if (!(await findConversation(trx, userId, conversationId))) throw notFound('Conversation');
      if (check && (await newestMessageSeq(trx, conversationId)) !== draft.newestSeq) throw new TurnChanged();
    } else {
      conversationId = (
        await conversations.create(userId, {
          systemPrompt: request.systemPrompt,
          title: deriveTitle(request.content ?? ''),
        })
      ).id;
    }
    if (draft.replacesId) await deleteMessage(trx, draft.replacesId);
    let userMessageId = draft.userMessageId;
    if (userMessageId === null) {
      userMessageId = await insertTurnMessage(trx, conversationId, 'user', {
        ...PENDING_ANSWER,
        content: request.content ?? '',
        status: 'complete',
      });
      if (draft.conversation?.title === DEFAULT_TITLE)
        await conversations.setTitleFromFirstMessage(conversationId, request.content ?? '');
    }
    const assistantMessageId = await insertTurnMessage(trx, conversationId, 'assistant', answer);
    if (draft.conversation) await conversations.touch(conversationId);
    return { conversationId, userMessageId, assistantMessageId, messages: draft.messages };
  });
  return stored.catch((error: unknown) => {
    throw isForeignKeyError(error) ? unauthenticated(NO_ACCOUNT) : error;
  });
}

async function insertTurnMessage(
  db: Kysely<Database>,
  conversationId: string,
  role: 'user' | 'assistant',
  fields: AnswerFields,
): Promise<string> {
  const id = randomUUID();
  await insertMessage(db, { id, conversation_id: conversationId, role, created_at: now(), ...fields });
  return id;
}

/** The answer row's fields once it finished: complete, or stopped by the user. */
export function finishedFields(done: Extract<GenerateEvent, { type: 'done' }>) {
  return {
    status: done.finishReason === 'abort' ? ('stopped' as const) : ('complete' as const),
    prompt_tokens: done.usage.promptTokens,
    completion_tokens: done.usage.completionTokens,
    ttft_ms: done.timings.ttftMs,
    total_ms: done.timings.totalMs,
    tokens_per_second: done.timings.tokensPerSecond,
    finish_reason: done.finishReason,
  };
}
