import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/tables/index.js';
import { deleteMessage, insertMessage, listMessages } from '../db/repositories/messages.js';
import type { MessageRow } from '../db/tables/message.table.js';
import type { ChatTurn } from '../engine/engine.js';
import { badRequest } from '../errors.js';
import { createConversationService, DEFAULT_TITLE, deriveTitle, type ConversationService } from './conversation-service.js';

export interface TurnRequest {
  conversationId?: string;
  content?: string;
  systemPrompt?: string;
  regenerate?: boolean;
}

export interface PreparedTurn {
  conversationId: string;
  userMessageId: string;
  assistantMessageId: string;
  /** System prompt first (if any), the whole history, the new user message last. */
  messages: ChatTurn[];
}

const now = () => new Date().toISOString();

/** Rows worth showing the model again: no failed answers, nothing empty. */
const usable = (row: MessageRow) => row.status !== 'error' && row.content.trim() !== '';

/**
 * Stores the user's message (or, to regenerate, drops the last answer) and a pending answer
 * row, before any generation starts: what the user sent is never lost, whatever follows. One
 * transaction: a turn is stored whole or not at all, and its rows cost one commit.
 */
export function prepareTurn(db: Kysely<Database>, userId: string, request: TurnRequest): Promise<PreparedTurn> {
  return db.transaction().execute((trx) => storeTurn(trx, createConversationService(trx), userId, request));
}

async function storeTurn(db: Kysely<Database>, conversations: ConversationService, userId: string, request: TurnRequest): Promise<PreparedTurn> {
  const isNew = !request.conversationId;
  const conversation = request.conversationId
    ? await conversations.get(userId, request.conversationId)
    : await conversations.create(userId, { systemPrompt: request.systemPrompt, title: request.regenerate ? undefined : deriveTitle(request.content ?? '') });
  const rows = isNew ? [] : await listMessages(db, conversation.id);
  let userMessage: MessageRow | undefined;
  if (request.regenerate) {
    if (rows.at(-1)?.role === 'assistant') await deleteMessage(db, rows.pop()!.id);
    userMessage = rows.at(-1);
    if (userMessage?.role !== 'user') throw badRequest('There is no answer to regenerate in this conversation.');
  } else {
    userMessage = await insertTurnMessage(db, conversation.id, 'user', request.content ?? '', 'complete');
    rows.push(userMessage);
    if (conversation.title === DEFAULT_TITLE) await conversations.setTitleFromFirstMessage(conversation.id, userMessage.content);
  }
  const assistant = await insertTurnMessage(db, conversation.id, 'assistant', '', 'pending');
  if (!isNew) await conversations.touch(conversation.id);
  const history = rows.filter(usable).map((r) => ({ role: r.role, content: r.content }));
  const system = conversation.systemPrompt.trim();
  return {
    conversationId: conversation.id,
    userMessageId: userMessage.id,
    assistantMessageId: assistant.id,
    messages: system ? [{ role: 'system', content: system }, ...history] : history,
  };
}

async function insertTurnMessage(db: Kysely<Database>, conversationId: string, role: 'user' | 'assistant', content: string, status: 'complete' | 'pending'): Promise<MessageRow> {
  const row = {
    seq: 0,
    id: randomUUID(),
    conversation_id: conversationId,
    role,
    content,
    status,
    cached: 0,
    prompt_tokens: null,
    completion_tokens: null,
    ttft_ms: null,
    total_ms: null,
    tokens_per_second: null,
    error_code: null,
    created_at: now(),
  } satisfies MessageRow;
  const { seq: _seq, ...insertable } = row;
  await insertMessage(db, insertable);
  return row;
}
