import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

export type MessageRole = 'system' | 'user' | 'assistant';
/** 'pending' exists only while an answer streams; a restart turns leftovers into 'interrupted'. */
export type MessageStatus = 'pending' | 'complete' | 'stopped' | 'interrupted' | 'error';

export interface MessageTable {
  /** Insertion order within the database; orders a conversation's messages. */
  seq: Generated<number>;
  id: string;
  conversation_id: string;
  role: MessageRole;
  content: string;
  status: MessageStatus;
  cached: number;
  prompt_tokens: number | null;
  completion_tokens: number | null;
  ttft_ms: number | null;
  total_ms: number | null;
  tokens_per_second: number | null;
  error_code: string | null;
  /** Why a finished answer ended: 'stop', 'length' (cut at its token budget) or 'abort'. */
  finish_reason: 'stop' | 'length' | 'abort' | null;
  created_at: string;
}

export type MessageRow = Selectable<MessageTable>;
export type NewMessageRow = Insertable<MessageTable>;
export type MessageUpdate = Updateable<MessageTable>;
