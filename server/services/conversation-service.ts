import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import * as conversations from '../db/repositories/conversations.js';
import { listMessages } from '../db/repositories/messages.js';
import type { ConversationRow } from '../db/tables/conversation.table.js';
import type { Database } from '../db/tables/index.js';
import type { MessageRow } from '../db/tables/message.table.js';
import type { Conversation, ConversationSummary, Message } from '../../shared/contract/conversations.js';
import { badRequest, notFound } from '../errors.js';
import { renderExport, type ExportFile, type ExportFormat } from './conversation-export.js';

/** The title a conversation has until its first message names it. */
export const DEFAULT_TITLE = 'New chat';
/** Longest derived title before the ellipsis. */
const TITLE_CHARS = 60;
const MAX_LIMIT = 100;
const DEFAULT_LIMIT = 20;

/** API.md's wire shapes (`conversation`, a list item, `message`), shared with the web app. */
export type ConversationView = Conversation;
export type MessageView = Message;
export type { ConversationSummary };
export interface ConversationFields {
  title?: string;
  systemPrompt?: string;
}
export interface ListOptions {
  /** Case-insensitive substring of a title or any message text. Defaults to no filter. */
  q?: string;
  /** Page size, 1..100. Defaults to 20. */
  limit?: number;
  /** `nextCursor` of the previous page. Defaults to the first page. */
  cursor?: string;
}
export type { ExportFile, ExportFormat };

export const toConversationView = (row: ConversationRow): ConversationView => ({
  id: row.id,
  title: row.title,
  systemPrompt: row.system_prompt,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export function toMessageView(row: MessageRow): MessageView {
  const view: MessageView = {
    id: row.id,
    role: row.role,
    content: row.content,
    status: row.status,
    createdAt: row.created_at,
  };
  if (row.role === 'assistant') view.cached = row.cached === 1;
  if (row.prompt_tokens !== null && row.completion_tokens !== null) {
    view.usage = { promptTokens: row.prompt_tokens, completionTokens: row.completion_tokens };
  }
  if (row.ttft_ms !== null && row.total_ms !== null && row.tokens_per_second !== null) {
    view.timings = { ttftMs: row.ttft_ms, totalMs: row.total_ms, tokensPerSecond: row.tokens_per_second };
  }
  if (row.status === 'error' && row.error_code) view.errorCode = row.error_code;
  if (row.finish_reason === 'length') view.finishReason = 'length';
  return view;
}

/**
 * A short title from a first message: its first line with words in it, whitespace collapsed,
 * cut at a word boundary near 60 characters. Never empty.
 */
export function deriveTitle(text: string): string {
  const lines = text.split(/\r?\n/).map((l) => l.replace(/\s+/g, ' ').trim());
  const line = lines.find((l) => /[\p{L}\p{N}]/u.test(l)) ?? lines.find((l) => l !== '') ?? '';
  if (line === '') return DEFAULT_TITLE;
  const chars = Array.from(line); // code points: never split an emoji in half
  if (chars.length <= TITLE_CHARS) return line;
  const head = chars.slice(0, TITLE_CHARS).join('');
  const space = head.lastIndexOf(' ');
  // A boundary far back would leave a stub; then a hard cut reads better.
  const cut = space >= TITLE_CHARS / 2 ? head.slice(0, space) : head;
  return `${cut.replace(/[\s.,;:!?-]+$/u, '')}…`;
}

/** Titles are one line: stray newlines from a paste would break headings and lists. */
function cleanTitle(title: string): string {
  const clean = title.replace(/\s+/g, ' ').trim();
  if (clean === '') throw badRequest('The title cannot be blank.');
  return clean;
}

let lastMs = 0;
/** ISO time that never repeats in this process, so "newest first" has no ties among our writes. */
function monotonicNow(): string {
  lastMs = Math.max(Date.now(), lastMs + 1);
  return new Date(lastMs).toISOString();
}

/** Opaque to clients: base64url of the last row's [updated_at, id]. */
export const encodeCursor = (updatedAt: string, id: string) =>
  Buffer.from(JSON.stringify([updatedAt, id])).toString('base64url');

export function decodeCursor(cursor: string): { updatedAt: string; id: string } {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2) {
      const [updatedAt, id] = value as unknown[];
      if (typeof updatedAt === 'string' && typeof id === 'string' && id !== '' && !Number.isNaN(Date.parse(updatedAt)))
        return { updatedAt, id };
    }
  } catch {
    // Falls through to the same answer as a well-formed but meaningless cursor.
  }
  throw badRequest('The cursor is not valid: start again from the first page.');
}

export type ConversationService = ReturnType<typeof createConversationService>;

export function createConversationService(db: Kysely<Database>) {
  async function requireRow(userId: string, id: string): Promise<ConversationRow> {
    const row = await conversations.findConversation(db, userId, id);
    if (!row) throw notFound('Conversation');
    return row;
  }

  async function getWithMessages(
    userId: string,
    id: string,
  ): Promise<{ conversation: ConversationView; messages: MessageView[] }> {
    const row = await requireRow(userId, id);
    const messages = (await listMessages(db, id)).map(toMessageView);
    return { conversation: toConversationView(row), messages };
  }

  return {
    deriveTitle,
    toMessageView,

    async create(userId: string, fields: ConversationFields = {}): Promise<ConversationView> {
      const at = monotonicNow();
      const row: ConversationRow = {
        id: randomUUID(),
        user_id: userId,
        title: fields.title === undefined ? DEFAULT_TITLE : cleanTitle(fields.title),
        system_prompt: fields.systemPrompt ?? '',
        created_at: at,
        updated_at: at,
      };
      await conversations.insertConversation(db, row);
      return toConversationView(row);
    },

    /** Another user's conversation is as good as missing: 404, never 403. */
    get: async (userId: string, id: string): Promise<ConversationView> =>
      toConversationView(await requireRow(userId, id)),

    getWithMessages,

    async list(
      userId: string,
      options: ListOptions = {},
    ): Promise<{ conversations: ConversationSummary[]; nextCursor: string | null }> {
      const limit = Math.min(Math.max(Math.trunc(options.limit ?? DEFAULT_LIMIT), 1), MAX_LIMIT);
      const after = options.cursor ? decodeCursor(options.cursor) : undefined;
      const q = options.q?.trim() || undefined;
      // One extra row tells whether another page exists without a count query.
      const rows = await conversations.listConversations(db, { userId, limit: limit + 1, q, after });
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        conversations: page.map((r) => ({
          id: r.id,
          title: r.title,
          createdAt: r.created_at,
          updatedAt: r.updated_at,
          messageCount: Number(r.message_count),
        })),
        nextCursor: rows.length > limit && last ? encodeCursor(last.updated_at, last.id) : null,
      };
    },

    async update(userId: string, id: string, fields: ConversationFields): Promise<ConversationView> {
      if (fields.title === undefined && fields.systemPrompt === undefined)
        throw badRequest('Send a title or a systemPrompt to change.');
      const title = fields.title === undefined ? undefined : cleanTitle(fields.title);
      const changed = await conversations.updateConversation(db, userId, id, {
        title,
        system_prompt: fields.systemPrompt,
        updated_at: monotonicNow(),
      });
      if (!changed) throw notFound('Conversation');
      return toConversationView(await requireRow(userId, id));
    },

    /** Messages go with it (ON DELETE CASCADE). */
    async remove(userId: string, id: string): Promise<void> {
      if (!(await conversations.deleteConversation(db, userId, id))) throw notFound('Conversation');
    },

    /** Moves a conversation to the top of its owner's list; callers have checked ownership. */
    touch: (id: string): Promise<void> => conversations.touchConversation(db, id, monotonicNow()),

    /** Names a conversation after its first message, unless it already has a real title. */
    async setTitleFromFirstMessage(id: string, text: string): Promise<void> {
      await conversations.replaceDefaultTitle(db, id, DEFAULT_TITLE, deriveTitle(text));
    },

    async exportConversation(userId: string, id: string, format: ExportFormat): Promise<ExportFile> {
      const { conversation, messages } = await getWithMessages(userId, id);
      // An export is a record after the fact: an answer still streaming is, in it, cut off.
      const settled = messages.map((m) => (m.status === 'pending' ? { ...m, status: 'interrupted' as const } : m));
      return renderExport(conversation, settled, format, new Date());
    },
  };
}
