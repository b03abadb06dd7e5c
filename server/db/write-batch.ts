import type { ControlledTransaction, Kysely, Transaction } from 'kysely';
import type { Database } from './tables/index.js';

export type Writes<T> = (trx: Transaction<Database>) => Promise<T>;

export interface WriteBatch {
  /** Runs `writes` atomically, sharing one commit with the writes submitted alongside it. */
  transaction<T>(writes: Writes<T>): Promise<T>;
}

interface Queued {
  writes: Writes<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/**
 * Group commit. Writes submitted while the event loop is busy (the requests of one burst,
 * the replies of one pipelined Redis read) run in one transaction, each inside its own
 * savepoint so a failing one is undone alone; their promises settle once that commit is
 * done. A commit writes every changed page to the WAL, which costs more than the few inserts
 * of a chat turn, so a burst of turns pays for it once instead of once each.
 */
export function createWriteBatch(db: Kysely<Database>): WriteBatch {
  let queue: Queued[] = [];

  async function runBatch(): Promise<void> {
    const batch = queue;
    queue = [];
    if (batch.length === 1) {
      const [only] = batch as [Queued];
      return db.transaction().execute(only.writes).then(only.resolve, only.reject);
    }
    const outcomes: Array<() => void> = [];
    let trx: ControlledTransaction<Database> | undefined;
    try {
      trx = await db.startTransaction().execute();
      for (const item of batch) {
        const savepoint = await trx.savepoint('item').execute();
        try {
          const value = await item.writes(savepoint);
          await savepoint.releaseSavepoint('item').execute();
          outcomes.push(() => item.resolve(value));
        } catch (error) {
          const undone = await savepoint.rollbackToSavepoint('item').execute();
          await undone.releaseSavepoint('item').execute();
          outcomes.push(() => item.reject(error));
        }
      }
      await trx.commit().execute();
    } catch (error) {
      await trx
        ?.rollback()
        .execute()
        .catch(() => undefined);
      for (const item of batch) item.reject(error);
      return;
    }
    for (const settle of outcomes) settle();
  }

  return {
    transaction<T>(writes: Writes<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        // The first write of a batch waits for this turn of the event loop to end, so the
        // writes of requests read in the same turn join it.
        if (queue.length === 0) setImmediate(() => void runBatch());
        queue.push({ writes: writes as Writes<unknown>, resolve: resolve as (value: unknown) => void, reject });
      });
    },
  };
}
