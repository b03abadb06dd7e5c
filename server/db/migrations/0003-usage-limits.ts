import { sql, type Kysely } from 'kysely';

// Frozen in time: never edit a migration that has shipped; add a new one.
/* eslint-disable @typescript-eslint/no-explicit-any */
export async function up(db: Kysely<any>): Promise<void> {
  // One row per role default or per-user override. A null limit is unlimited; a user
  // override's `inherits` lists the fields it leaves to the role (their columns are ignored).
  await db.schema
    .createTable('limits')
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('requests_per_minute', 'integer')
    .addColumn('tokens_per_day', 'integer')
    .addColumn('concurrent', 'integer')
    .addColumn('max_tokens', 'integer')
    .addColumn('inherits', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('limits_pk', ['scope', 'subject'])
    .addCheckConstraint('limits_scope', sql`scope in ('role', 'user')`)
    .execute();

  await db.schema
    .createTable('usage_daily')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('requests', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('cache_hits', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('prompt_tokens', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('cached_prompt_tokens', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('completion_tokens', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('generation_ms', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('usage_daily_pk', ['user_id', 'day'])
    .execute();
  // The admin's range queries and the daily prune go by day across users.
  await db.schema.createIndex('usage_daily_day').on('usage_daily').column('day').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('usage_daily').execute();
  await db.schema.dropTable('limits').execute();
}
