import type { Insertable, Selectable, Updateable } from 'kysely';

export interface ConversationTable {
  id: string;
  user_id: string;
  title: string;
  system_prompt: string;
  created_at: string;
  updated_at: string;
}

export type ConversationRow = Selectable<ConversationTable>;
export type NewConversationRow = Insertable<ConversationTable>;
export type ConversationUpdate = Updateable<ConversationTable>;
