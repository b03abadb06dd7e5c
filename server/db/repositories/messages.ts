import type { Kysely } from 'kysely';
import type { Database } from '../tables/index.js';
import type { MessageRow, MessageUpdate, NewMessageRow } from '../tables/message.table.js';

type Db = Kysely<Database>;

export const insertMessage = async (db: Db, row: NewMessageRow): Promise<void> => {
  await db.insertInto('messages').values(row).execute();
};

export const updateMessage = async (db: Db, id: string, update: MessageUpdate): Promise<void> => {
  await db.updateTable('messages').set(update).where('id', '=', id).execute();
};

export const deleteMessage = async (db: Db, id: string): Promise<void> => {
  await db.deleteFrom('messages').where('id', '=', id).execute();
};

/** A conversation's messages in the order they were written. */
export const listMessages = (db: Db, conversationId: string): Promise<MessageRow[]> =>
  db.selectFrom('messages').selectAll().where('conversation_id', '=', conversationId).orderBy('seq').execute();

/**
 * Answers still 'pending' when the server starts were cut off by a crash or kill; keep what
 * was written and say so, rather than leave them looking like they are still streaming.
 */
export const markPendingInterrupted = async (db: Db): Promise<number> => {
  const result = await db
    .updateTable('messages')
    .set({ status: 'interrupted' })
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
};

/** The seq of a conversation's newest message (null: none): whether it changed since a read. */
export const newestMessageSeq = async (db: Db, conversationId: string): Promise<number | null> => {
  const row = await db
    .selectFrom('messages')
    .select('seq')
    .where('conversation_id', '=', conversationId)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.seq ?? null;
};
