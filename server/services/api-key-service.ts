import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/tables/index.js';
import type { ApiKeyRow } from '../db/tables/api-key.table.js';
import * as keys from '../db/repositories/api-keys.js';
import { badRequest, conflict, notFound } from '../errors.js';
import {
  API_KEY_EXPIRY_MAX_DAYS,
  API_KEY_NAME_MAX,
  API_KEY_PREFIX,
  API_KEY_VISIBLE_CHARS,
  API_KEYS_PER_USER,
  type AdminApiKey,
  type ApiKey,
  type CreatedApiKey,
} from '../../shared/contract/api-keys.js';
import type { AuditLog } from './audit-service.js';
import type { PublicUser } from './user-service.js';

/** Random bytes in a key: far beyond guessing, so one fast hash (no argon2 per request) is safe. */
const KEY_BYTES = 32;
/** `last_used_at` is written at most this often per key, not on every request. */
export const LAST_USED_INTERVAL_MS = 60_000;
/** Longer than any key this service makes: a header of megabytes is not hashed. */
const MAX_KEY_LENGTH = 128;
const DAY_MS = 86_400_000;

export type ApiKeyRefusal = 'invalid' | 'revoked' | 'expired' | 'user_disabled' | 'api_access_off';
export type ApiKeyCheck = { ok: true; user: PublicUser; keyId: string } | { ok: false; reason: ApiKeyRefusal };

export interface ApiKeyServiceOptions {
  /** The clock; tests move it. Defaults to the system clock. */
  now?: () => Date;
}

export const hashApiKey = (secret: string): string => createHash('sha256').update(secret).digest('hex');

const toApiKey = (row: ApiKeyRow): ApiKey => ({
  id: row.id,
  name: row.name,
  prefix: row.prefix,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  lastUsedAt: row.last_used_at,
});

const toAdminApiKey = (row: keys.ApiKeyWithUsername): AdminApiKey => ({
  ...toApiKey(row),
  userId: row.user_id,
  username: row.username,
  revoked: row.revoked_at !== null,
});

function checkName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length < 1 || trimmed.length > API_KEY_NAME_MAX)
    throw badRequest(`A key name is 1–${API_KEY_NAME_MAX} characters.`);
  return trimmed;
}

function checkExpiry(days: number | undefined): void {
  if (days === undefined) return;
  if (!Number.isInteger(days) || days < 1 || days > API_KEY_EXPIRY_MAX_DAYS) {
    throw badRequest(
      `expiresInDays is a whole number of days from 1 to ${API_KEY_EXPIRY_MAX_DAYS}, or absent for a key that never expires.`,
    );
  }
}

export type ApiKeyService = ReturnType<typeof createApiKeyService>;

export function createApiKeyService(db: Kysely<Database>, audit: AuditLog, options: ApiKeyServiceOptions = {}) {
  const now = options.now ?? (() => new Date());

  return {
    /** Makes a key; the secret is in this answer only, the database keeps its hash. */
    async create(owner: PublicUser, input: { name: string; expiresInDays?: number }): Promise<CreatedApiKey> {
      const name = checkName(input.name);
      checkExpiry(input.expiresInDays);
      const at = now();
      if ((await keys.countUsableApiKeys(db, owner.id, at.toISOString())) >= API_KEYS_PER_USER) {
        throw conflict(`You already have ${API_KEYS_PER_USER} API keys: revoke one first.`);
      }
      const secret = API_KEY_PREFIX + randomBytes(KEY_BYTES).toString('base64url');
      const row: ApiKeyRow = {
        id: randomUUID(),
        user_id: owner.id,
        name,
        prefix: secret.slice(0, API_KEY_PREFIX.length + API_KEY_VISIBLE_CHARS),
        key_hash: hashApiKey(secret),
        created_at: at.toISOString(),
        expires_at:
          input.expiresInDays === undefined
            ? null
            : new Date(at.getTime() + input.expiresInDays * DAY_MS).toISOString(),
        last_used_at: null,
        revoked_at: null,
      };
      await keys.insertApiKey(db, row);
      await audit.record(owner.username, 'api_key.create', owner.username, {
        id: row.id,
        name,
        prefix: row.prefix,
        expiresAt: row.expires_at,
      });
      const { lastUsedAt: _never, ...view } = toApiKey(row);
      return { ...view, key: secret };
    },

    list: async (userId: string): Promise<ApiKey[]> => (await keys.listLiveApiKeys(db, userId)).map(toApiKey),

    /** Revokes one of the owner's own keys; anyone else's is "not found", as if it did not exist. */
    async revoke(owner: PublicUser, id: string): Promise<void> {
      const row = await keys.findApiKeyById(db, id);
      if (!row || row.user_id !== owner.id || !(await keys.revokeApiKey(db, id, now().toISOString())))
        throw notFound('API key');
      await audit.record(owner.username, 'api_key.revoke', owner.username, { id, name: row.name, prefix: row.prefix });
    },

    listAll: async (): Promise<AdminApiKey[]> => (await keys.listAllApiKeys(db)).map(toAdminApiKey),

    /** An admin revokes anyone's key. */
    async revokeAny(actor: string, id: string): Promise<void> {
      const row = await keys.findApiKeyById(db, id);
      if (!row || !(await keys.revokeApiKey(db, id, now().toISOString()))) throw notFound('API key');
      await audit.record(actor, 'api_key.revoke', row.username, { id, name: row.name, prefix: row.prefix });
    },

    /**
     * The user a key acts for, or why it is refused. The owner is read with the key on every
     * call, so disabling or deleting a user, or turning their API access off, stops it at once.
     */
    async authenticate(secret: string): Promise<ApiKeyCheck> {
      if (!secret.startsWith(API_KEY_PREFIX) || secret.length > MAX_KEY_LENGTH) return { ok: false, reason: 'invalid' };
      // Looked up by the hash, never compared character by character: no timing to learn from.
      const row = await keys.findApiKeyByHash(db, hashApiKey(secret));
      if (!row) return { ok: false, reason: 'invalid' };
      const at = now();
      if (row.revoked_at !== null) return { ok: false, reason: 'revoked' };
      if (row.expires_at !== null && Date.parse(row.expires_at) <= at.getTime())
        return { ok: false, reason: 'expired' };
      if (row.disabled === 1) return { ok: false, reason: 'user_disabled' };
      if (row.api_access !== 1) return { ok: false, reason: 'api_access_off' };
      if (row.last_used_at === null || at.getTime() - Date.parse(row.last_used_at) >= LAST_USED_INTERVAL_MS) {
        await keys.touchApiKey(db, row.id, at.toISOString());
      }
      return { ok: true, user: { id: row.user_id, username: row.username, role: row.role }, keyId: row.id };
    },
  };
}
