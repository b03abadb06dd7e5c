import { Type, type Static } from 'typebox';
import { MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS, USERNAME_PATTERN, USERNAME_RULE } from './limits.js';

export const Username = Type.String({ pattern: USERNAME_PATTERN, description: USERNAME_RULE });
export const Password = Type.String({ minLength: MIN_PASSWORD_CHARS, maxLength: MAX_PASSWORD_CHARS });

export const UserRole = Type.Union([Type.Literal('admin'), Type.Literal('user')]);
export type UserRole = Static<typeof UserRole>;

export const User = Type.Object({ id: Type.String(), username: Type.String(), role: UserRole });
export type User = Static<typeof User>;

/** POST /api/auth/setup and /api/auth/login. */
export const Credentials = Type.Object({ username: Username, password: Password }, { additionalProperties: false });
export type Credentials = Static<typeof Credentials>;

export const SetupStatus = Type.Object({ needed: Type.Boolean() });
export type SetupStatus = Static<typeof SetupStatus>;

/** POST /api/auth/login and /api/auth/refresh. `refreshToken` only for non-browser clients. */
export const Session = Type.Object({
  user: User,
  accessToken: Type.String(),
  expiresIn: Type.Integer(),
  refreshToken: Type.Optional(Type.String()),
});
export type Session = Static<typeof Session>;

/** GET /api/auth/me and POST /api/auth/setup. */
export const UserReply = Type.Object({ user: User });
export type UserReply = Static<typeof UserReply>;
