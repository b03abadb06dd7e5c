import { Type } from 'typebox';

/** Response schemas double as serializers: fields not listed here never leave the server. */
export const ErrorResponse = Type.Object({
  error: Type.Object({ code: Type.String(), message: Type.String() }),
});

export const Username = Type.String({ pattern: '^[A-Za-z0-9._-]{3,32}$', description: '3-32 letters, digits, ".", "_", "-"' });
// The upper bound keeps argon2 from being fed megabytes.
export const Password = Type.String({ minLength: 8, maxLength: 256 });
export const RoleSchema = Type.Union([Type.Literal('admin'), Type.Literal('user')]);

export const UserSchema = Type.Object({ id: Type.String(), username: Type.String(), role: RoleSchema });

export const Credentials = Type.Object({ username: Username, password: Password }, { additionalProperties: false });

export const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

/** Error responses every authenticated route can give. */
export const authErrors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse };
