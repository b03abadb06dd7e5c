/**
 * API keys: the routes under /api/keys and /api/admin/keys. A key authenticates /v1 only,
 * never /api. (The admin's per-user `apiAccess` flag is part of AdminUser and UserPatch.)
 */
import { Type, type Static } from 'typebox';

/** Every key starts with this; the visible prefix is it and the next 8 characters. */
export const API_KEY_PREFIX = 'pk-';
export const API_KEY_VISIBLE_CHARS = 8;
export const API_KEY_NAME_MAX = 64;
export const API_KEY_EXPIRY_MAX_DAYS = 3650;
/** Keys neither revoked nor expired that one user may hold at once. */
export const API_KEYS_PER_USER = 50;

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

/** POST /api/keys. No `expiresInDays`: the key never expires. */
export const CreateApiKeyBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: API_KEY_NAME_MAX }),
    expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: API_KEY_EXPIRY_MAX_DAYS })),
  },
  { additionalProperties: false },
);
export type CreateApiKeyBody = Static<typeof CreateApiKeyBody>;

/** One of the caller's own keys: never the secret, never its hash. */
export const ApiKey = Type.Object({
  id: Type.String(),
  name: Type.String(),
  prefix: Type.String(),
  createdAt: Type.String(),
  expiresAt: Nullable(Type.String()),
  lastUsedAt: Nullable(Type.String()),
});
export type ApiKey = Static<typeof ApiKey>;

/** 201 of POST /api/keys: the only answer that ever carries the secret `key`. */
export const CreatedApiKey = Type.Object({
  id: Type.String(),
  name: Type.String(),
  prefix: Type.String(),
  createdAt: Type.String(),
  expiresAt: Nullable(Type.String()),
  key: Type.String(),
});
export type CreatedApiKey = Static<typeof CreatedApiKey>;

/** GET /api/keys */
export const ApiKeyList = Type.Object({ keys: Type.Array(ApiKey) });
export type ApiKeyList = Static<typeof ApiKeyList>;

/** A key as the admin sees it: whose it is, and whether it was revoked. */
export const AdminApiKey = Type.Object({
  id: Type.String(),
  userId: Type.String(),
  username: Type.String(),
  name: Type.String(),
  prefix: Type.String(),
  createdAt: Type.String(),
  lastUsedAt: Nullable(Type.String()),
  expiresAt: Nullable(Type.String()),
  revoked: Type.Boolean(),
});
export type AdminApiKey = Static<typeof AdminApiKey>;

/** GET /api/admin/keys */
export const AdminApiKeyList = Type.Object({ keys: Type.Array(AdminApiKey) });
export type AdminApiKeyList = Static<typeof AdminApiKeyList>;
