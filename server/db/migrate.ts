import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import * as initial from './migrations/0001-initial.js';
import * as apiKeys from './migrations/0002-api-keys.js';
import * as usageLimits from './migrations/0003-usage-limits.js';
import * as finishReason from './migrations/0004-finish-reason.js';

// Listed here rather than read from a folder so the same code runs from server/ (tsx)
// and from dist/ (compiled) without globbing file extensions.
const migrations: Record<string, Migration> = {
  '0001-initial': initial,
  '0002-api-keys': apiKeys,
  '0003-usage-limits': usageLimits,
  '0004-finish-reason': finishReason,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** Applies every pending migration; throws with the failing migration's name. */
export async function migrateToLatest<T>(db: Kysely<T>): Promise<string[]> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error) {
    const name = failed ? ` (${failed.migrationName})` : '';
    throw new Error(`Database migration failed${name}: ${String(error)}`, { cause: error });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
