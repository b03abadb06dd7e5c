import type { Kysely } from 'kysely';
import type { Database } from '../tables/index.js';
import type { AuditLogRow, NewAuditLogRow } from '../tables/audit-log.table.js';

type Db = Kysely<Database>;

export const insertAuditEntry = async (db: Db, row: NewAuditLogRow): Promise<void> => {
  await db.insertInto('audit_log').values(row).execute();
};

/** Newest first; `before` is the id of the last entry of the previous page. */
export const listAuditEntries = (db: Db, limit: number, before?: number): Promise<AuditLogRow[]> => {
  let query = db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(limit);
  if (before !== undefined) query = query.where('id', '<', before);
  return query.execute();
};
