import type { Kysely } from 'kysely';
import type { Database } from '../db/tables/index.js';
import { insertAuditEntry, listAuditEntries } from '../db/repositories/audit-log.js';

export interface AuditEntry {
  id: number;
  at: string;
  actor: string | null;
  action: string;
  target: string | null;
  detail: Record<string, unknown> | null;
}

export type AuditLog = ReturnType<typeof createAuditLog>;

export function createAuditLog(db: Kysely<Database>) {
  return {
    async record(actor: string | null, action: string, target: string | null, detail?: Record<string, unknown>) {
      await insertAuditEntry(db, {
        at: new Date().toISOString(),
        actor,
        action,
        target,
        detail: detail ? JSON.stringify(detail) : null,
      });
    },
    async list(limit: number, before?: number): Promise<{ entries: AuditEntry[]; nextCursor: string | null }> {
      const rows = await listAuditEntries(db, limit + 1, before);
      const page = rows.slice(0, limit);
      const entries = page.map((r) => ({
        ...r,
        detail: r.detail ? (JSON.parse(r.detail) as Record<string, unknown>) : null,
      }));
      const last = page.at(-1);
      return { entries, nextCursor: rows.length > limit && last ? String(last.id) : null };
    },
  };
}
