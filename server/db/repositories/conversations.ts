import { sql, type Kysely } from 'kysely';
import type { Database } from '../tables/index.js';
import type { ConversationRow, ConversationUpdate, NewConversationRow } from '../tables/conversation.table.js';

type Db = Kysely<Database>;

export interface ConversationListRow extends ConversationRow {
  message_count: number;
}

export interface ListConversationsQuery {
  userId: string;
  limit: number;
  /** Case-insensitive substring of the title or of any message's text. */
  q?: string;
  /** Position after which to continue: the last row of the previous page. */
  after?: { updatedAt: string; id: string };
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

export const insertConversation = async (db: Db, row: NewConversationRow): Promise<void> => {
  await db.insertInto('conversations').values(row).execute();
};

/** Only the owner's conversation: another user's id is as good as missing. */
export const findConversation = (db: Db, userId: string, id: string): Promise<ConversationRow | undefined> =>
  db.selectFrom('conversations').selectAll().where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();

/** Applies `update` to conversation `id` only while its `column` holds `value`; returns whether it did. */
const updateWhere = async (
  db: Db,
  id: string,
  [column, value]: ['user_id' | 'title', string],
  update: ConversationUpdate,
): Promise<boolean> => {
  const result = await db
    .updateTable('conversations')
    .set(update)
    .where('id', '=', id)
    .where(column, '=', value)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
};

export const updateConversation = (db: Db, userId: string, id: string, update: ConversationUpdate): Promise<boolean> =>
  updateWhere(db, id, ['user_id', userId], update);

/** Marks activity without knowing the owner: the chat code has already checked it. */
export const touchConversation = async (db: Db, id: string, at: string): Promise<void> => {
  await db.updateTable('conversations').set({ updated_at: at }).where('id', '=', id).execute();
};

/** Sets the title only while it is still `defaultTitle`, in one statement so a rename always wins. */
export const replaceDefaultTitle = (db: Db, id: string, defaultTitle: string, title: string): Promise<boolean> =>
  updateWhere(db, id, ['title', defaultTitle], { title });

export const deleteConversation = async (db: Db, userId: string, id: string): Promise<boolean> => {
  const result = await db
    .deleteFrom('conversations')
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
};

/** Newest first by last activity; keyset pagination so pages stay stable while chats go on. */
export function listConversations(db: Db, query: ListConversationsQuery): Promise<ConversationListRow[]> {
  let select = db
    .selectFrom('conversations as c')
    .selectAll('c')
    .select((eb) =>
      eb
        .selectFrom('messages as m')
        .whereRef('m.conversation_id', '=', 'c.id')
        .select(eb.fn.countAll<number>().as('n'))
        .as('message_count'),
    )
    .where('c.user_id', '=', query.userId)
    .orderBy('c.updated_at', 'desc')
    .orderBy('c.id', 'desc')
    .limit(query.limit);
  if (query.after) {
    const { updatedAt, id } = query.after;
    select = select.where((eb) =>
      eb.or([eb('c.updated_at', '<', updatedAt), eb.and([eb('c.updated_at', '=', updatedAt), eb('c.id', '<', id)])]),
    );
  }
  if (query.q) {
    const pattern = `%${escapeLike(query.q.toLowerCase())}%`;
    select = select.where((eb) =>
      eb.or([
        eb(sql`lower(c.title)`, 'like', sql`${pattern} escape '\\'`),
        eb.exists(
          eb
            .selectFrom('messages as m')
            .select('m.id')
            .whereRef('m.conversation_id', '=', 'c.id')
            .where(sql`lower(m.content)`, 'like', sql`${pattern} escape '\\'`),
        ),
      ]),
    );
  }
  return select.execute() as Promise<ConversationListRow[]>;
}
