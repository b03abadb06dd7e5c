import { sql, type Kysely } from 'kysely';
import type { Database } from '../tables/index.js';
import type { NewUserRow, Role, UserRow, UserUpdate } from '../tables/user.table.js';

type Db = Kysely<Database>;

export const countUsers = async (db: Db): Promise<number> =>
  Number((await db.selectFrom('users').select(db.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

export const countActiveAdmins = async (db: Db): Promise<number> =>
  Number(
    (
      await db
        .selectFrom('users')
        .select(db.fn.countAll().as('n'))
        .where('role', '=', 'admin')
        .where('disabled', '=', 0)
        .executeTakeFirstOrThrow()
    ).n,
  );

export const findUserById = (db: Db, id: string): Promise<UserRow | undefined> =>
  db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();

export const findUserByUsername = (db: Db, username: string): Promise<UserRow | undefined> =>
  db
    .selectFrom('users')
    .selectAll()
    .where(sql`lower(username)`, '=', username.toLowerCase())
    .executeTakeFirst();

export const listUsers = (db: Db): Promise<UserRow[]> =>
  db.selectFrom('users').selectAll().orderBy('created_at').orderBy('username').execute();

export const insertUser = async (db: Db, row: NewUserRow): Promise<void> => {
  await db.insertInto('users').values(row).execute();
};

export const updateUser = async (db: Db, id: string, update: UserUpdate): Promise<void> => {
  await db.updateTable('users').set(update).where('id', '=', id).execute();
};

export const deleteUser = async (db: Db, id: string): Promise<void> => {
  await db.deleteFrom('users').where('id', '=', id).execute();
};

export type { Role, UserRow };
