import type { Kysely } from 'kysely';

// Frozen in time: never edit a migration that has shipped; add a new one.
/* eslint-disable @typescript-eslint/no-explicit-any */
export async function up(db: Kysely<any>): Promise<void> {
  // Why a finished answer ended ('stop', 'length', 'abort'); null for answers stored before it.
  await db.schema.alterTable('messages').addColumn('finish_reason', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('messages').dropColumn('finish_reason').execute();
}
