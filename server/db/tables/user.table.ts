import type { Insertable, Selectable, Updateable } from 'kysely';

export type Role = 'admin' | 'user';

export interface UserTable {
  id: string;
  username: string;
  password_hash: string;
  role: Role;
  disabled: number;
  created_at: string;
  last_login_at: string | null;
}

export type UserRow = Selectable<UserTable>;
export type NewUserRow = Insertable<UserTable>;
export type UserUpdate = Updateable<UserTable>;
