import type { Generated, Insertable, Selectable } from 'kysely';

export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  /** Username of who acted, or null for the system / an anonymous caller. */
  actor: string | null;
  action: string;
  target: string | null;
  /** JSON text. */
  detail: string | null;
}

export type AuditLogRow = Selectable<AuditLogTable>;
export type NewAuditLogRow = Insertable<AuditLogTable>;
