import type { Kysely } from 'kysely';
import type { Database } from '../db/tables/index.js';
import { deleteLimitRow, findLimitRows, listLimitRows, upsertLimitRow } from '../db/repositories/limits.js';
import { findUserById } from '../db/repositories/users.js';
import { notFound } from '../errors.js';
import {
  DEFAULT_ROLE_LIMITS,
  effectiveLimits,
  limitColumns,
  overrideLimits,
  roleLimits,
  type Role,
} from '../quota/limits.js';
import type { Limits, LimitsOverride, LimitsTable } from '../../shared/contract/usage.js';
import type { AuditLog } from './audit-service.js';

/** Role defaults and per-user overrides, as the admin set them; every change is audited. */
export function createLimitsService(db: Kysely<Database>, audit: AuditLog) {
  const now = () => new Date().toISOString();

  return {
    /** A user's limits now: the role's (set or default) with the user's override laid over them. */
    async effective(user: { id: string; role: Role }): Promise<Limits> {
      const rows = await findLimitRows(db, [
        { scope: 'role', subject: user.role },
        { scope: 'user', subject: user.id },
      ]);
      const role = rows.find((r) => r.scope === 'role');
      const override = rows.find((r) => r.scope === 'user');
      return effectiveLimits(
        role ? roleLimits(role) : DEFAULT_ROLE_LIMITS[user.role],
        override && overrideLimits(override),
      );
    },

    async table(): Promise<LimitsTable> {
      const rows = await listLimitRows(db);
      const roles = { ...DEFAULT_ROLE_LIMITS };
      const users: Record<string, LimitsOverride> = {};
      for (const row of rows) {
        if (row.scope === 'role' && (row.subject === 'admin' || row.subject === 'user'))
          roles[row.subject] = roleLimits(row);
        else if (row.scope === 'user') users[row.subject] = overrideLimits(row);
      }
      return { roles, users };
    },

    async setRole(actor: string, role: Role, limits: Limits): Promise<Limits> {
      await upsertLimitRow(db, {
        scope: 'role',
        subject: role,
        ...limitColumns(limits),
        inherits: '',
        updated_at: now(),
      });
      await audit.record(actor, 'limits.role.set', role, { limits });
      return limits;
    },

    async setUser(actor: string, userId: string, override: LimitsOverride): Promise<LimitsOverride> {
      if (!(await findUserById(db, userId))) throw notFound('User');
      await upsertLimitRow(db, { scope: 'user', subject: userId, ...limitColumns(override), updated_at: now() });
      await audit.record(actor, 'limits.user.set', userId, { limits: override });
      return override;
    },

    async dropUser(actor: string, userId: string): Promise<void> {
      if (!(await deleteLimitRow(db, 'user', userId))) throw notFound('Limit override');
      await audit.record(actor, 'limits.user.drop', userId);
    },
  };
}

export type LimitsService = ReturnType<typeof createLimitsService>;
