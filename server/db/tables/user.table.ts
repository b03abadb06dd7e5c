import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

export type Role = 'admin' | 'user';

export interface UserTable {
  id: string;
  username: string;
  password_hash: string;
  role: Role;
  disabled: number;
  created_at: string;
  last_login_at: string | null;
  /** 1: the user's API keys may call /v1. Defaults to 1. */
  api_access: Generated<number>;
}

export type UserRow = Selectable<UserTable>;
export type NewUserRow = Insertable<UserTable>;
export type UserUpdate = Updateable<UserTable>;
