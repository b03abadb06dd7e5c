import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/tables/index.js';
import * as users from '../db/repositories/users.js';
import { revokeAllForUser } from '../db/repositories/refresh-tokens.js';
import { AppError, badRequest, conflict, notFound } from '../errors.js';
import { hashPassword, verifyNothing, verifyPassword, weakPasswordReason } from './passwords.js';
import type { AuditLog } from './audit-service.js';

export type Role = users.Role;
export interface PublicUser {
  id: string;
  username: string;
  role: Role;
}
export interface AdminUserView extends PublicUser {
  disabled: boolean;
  apiAccess: boolean;
  createdAt: string;
  lastLoginAt: string | null;
}
export interface UserChange {
  role?: Role;
  disabled?: boolean;
  password?: string;
  apiAccess?: boolean;
}

export const toPublicUser = (row: users.UserRow): PublicUser => ({
  id: row.id,
  username: row.username,
  role: row.role,
});
const toAdminView = (row: users.UserRow): AdminUserView => ({
  ...toPublicUser(row),
  disabled: row.disabled === 1,
  apiAccess: row.api_access === 1,
  createdAt: row.created_at,
  lastLoginAt: row.last_login_at,
});

export type UserService = ReturnType<typeof createUserService>;

/** Refuses a password that would be guessed quickly (a new one only: existing logins still work). */
function requireStrongPassword(password: string): void {
  const reason = weakPasswordReason(password);
  if (reason) throw badRequest(reason);
}

export interface UserHooks {
  /** The user lost access (disabled or deleted): whatever they still have open must end now. */
  accessEnded?(userId: string, reason: 'disabled' | 'deleted'): void;
}

export function createUserService(db: Kysely<Database>, audit: AuditLog, hooks: UserHooks = {}) {
  async function insert(username: string, password: string, role: Role): Promise<users.UserRow> {
    const row = {
      id: randomUUID(),
      username,
      password_hash: await hashPassword(password),
      role,
      disabled: 0,
      created_at: new Date().toISOString(),
      last_login_at: null,
      api_access: 1,
    };
    if (await users.findUserByUsername(db, username)) throw conflict(`The username "${username}" is taken.`);
    await users.insertUser(db, row);
    return row;
  }

  async function requireUser(id: string): Promise<users.UserRow> {
    const row = await users.findUserById(db, id);
    if (!row) throw notFound('User');
    return row;
  }

  /** Refuses any change that would leave no enabled admin to run the portal. */
  async function guardLastAdmin(row: users.UserRow, change: UserChange | 'delete'): Promise<void> {
    if (row.role !== 'admin' || row.disabled === 1) return;
    const losesAdmin = change === 'delete' || change.role === 'user' || change.disabled === true;
    if (losesAdmin && (await users.countActiveAdmins(db)) <= 1) {
      throw conflict('This is the last admin: promote another user to admin first.');
    }
  }

  return {
    setupNeeded: async () => (await users.countUsers(db)) === 0,

    /** Creates the first admin; a transaction makes two racing setups end with one admin. */
    async setup(username: string, password: string): Promise<PublicUser> {
      requireStrongPassword(password);
      const hash = await hashPassword(password);
      const row = await db.transaction().execute(async (trx) => {
        if ((await users.countUsers(trx)) > 0) throw conflict('Setup is already done: sign in instead.');
        const created = {
          id: randomUUID(),
          username,
          password_hash: hash,
          role: 'admin' as const,
          disabled: 0,
          created_at: new Date().toISOString(),
          last_login_at: null,
          api_access: 1,
        };
        await users.insertUser(trx, created);
        return created;
      });
      await audit.record(username, 'setup', username);
      return toPublicUser(row);
    },

    /** Checks a login; the same answer and timing whether the name or the password is wrong. */
    async verifyLogin(username: string, password: string): Promise<PublicUser | null> {
      const row = await users.findUserByUsername(db, username);
      if (!row) return verifyNothing(password).then(() => null);
      if (!(await verifyPassword(row.password_hash, password)) || row.disabled === 1) return null;
      await users.updateUser(db, row.id, { last_login_at: new Date().toISOString() });
      return toPublicUser(row);
    },

    /** The user behind a token, or null when deleted or disabled since it was issued. */
    async activeUser(id: string): Promise<PublicUser | null> {
      const row = await users.findUserById(db, id);
      return row && row.disabled === 0 ? toPublicUser(row) : null;
    },

    list: async (): Promise<AdminUserView[]> => (await users.listUsers(db)).map(toAdminView),

    async create(actor: string, username: string, password: string, role: Role): Promise<AdminUserView> {
      requireStrongPassword(password);
      const row = await insert(username, password, role);
      await audit.record(actor, 'user.create', username, { role });
      return toAdminView(row);
    },

    async update(actor: string, id: string, change: UserChange): Promise<AdminUserView> {
      if (change.password !== undefined) requireStrongPassword(change.password);
      const row = await requireUser(id);
      await guardLastAdmin(row, change);
      const update: Parameters<typeof users.updateUser>[2] = {};
      if (change.role !== undefined) update.role = change.role;
      if (change.disabled !== undefined) update.disabled = change.disabled ? 1 : 0;
      if (change.password !== undefined) update.password_hash = await hashPassword(change.password);
      if (change.apiAccess !== undefined) update.api_access = change.apiAccess ? 1 : 0;
      if (Object.keys(update).length === 0)
        throw new AppError(400, 'bad_request', 'Nothing to change: send role, disabled, password or apiAccess.');
      await users.updateUser(db, id, update);
      // A disabled account or a reset password must not stay signed in elsewhere.
      if (change.disabled || change.password !== undefined) await revokeAllForUser(db, id, new Date().toISOString());
      if (change.disabled) hooks.accessEnded?.(id, 'disabled');
      const detail = { ...change, password: change.password === undefined ? undefined : 'reset' };
      await audit.record(actor, 'user.update', row.username, detail);
      return toAdminView(await requireUser(id));
    },

    async remove(actor: string, id: string): Promise<void> {
      const row = await requireUser(id);
      await guardLastAdmin(row, 'delete');
      await users.deleteUser(db, id);
      hooks.accessEnded?.(id, 'deleted');
      await audit.record(actor, 'user.delete', row.username);
    },

    /** ADMIN_USERNAME / ADMIN_PASSWORD at start: create that admin when no user exists. */
    async ensureAdmin(username: string, password: string): Promise<boolean> {
      if ((await users.countUsers(db)) > 0) return false;
      await insert(username, password, 'admin');
      await audit.record(null, 'setup.env', username);
      return true;
    },
  };
}
