import type { Kysely } from 'kysely';
import type { Database } from '../db/tables/index.js';
import { updateMessage } from '../db/repositories/messages.js';
import type { MessageUpdate } from '../db/tables/message.table.js';

/** How often a streaming answer's text is saved, so a crash loses at most this much. */
export const SAVE_INTERVAL_MS = 500;

/**
 * Accumulates an answer as it streams and saves it now and then, off the per-token path:
 * a server killed mid-answer keeps what it had already sent to the client.
 */
export function createAnswerWriter(db: Kysely<Database>, messageId: string) {
  let text = '';
  let saved = 0;
  let timer: NodeJS.Timeout | undefined;
  let pending: Promise<void> = Promise.resolve();

  const save = () => {
    timer = undefined;
    if (saved === text.length) return;
    const snapshot = text;
    saved = snapshot.length;
    pending = pending.then(() => updateMessage(db, messageId, { content: snapshot })).catch(() => undefined);
  };

  return {
    get text() {
      return text;
    },
    append(chunk: string): void {
      text += chunk;
      timer ??= setTimeout(save, SAVE_INTERVAL_MS);
    },
    /** Writes the final text with the outcome; waits for any save still in flight. */
    async finish(update: Omit<MessageUpdate, 'content'>): Promise<void> {
      clearTimeout(timer);
      await pending;
      await updateMessage(db, messageId, { ...update, content: text });
    },
  };
}

export type AnswerWriter = ReturnType<typeof createAnswerWriter>;
