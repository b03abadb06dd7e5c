import type { FastifyRequest } from 'fastify';
import type { ApiKeyRefusal, ApiKeyService } from '../../services/api-key-service.js';
import type { PublicUser } from '../../services/user-service.js';
import { invalidApiKey } from './openai-errors.js';

/** Who a /v1 request acts for: the key's owner (fairness, quotas and audit are theirs). */
export interface ApiUser extends PublicUser {
  keyId: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the /v1 key check before any /v1 handler runs; null elsewhere. */
    apiUser: ApiUser | null;
  }
}

const REFUSED: Record<ApiKeyRefusal, string> = {
  invalid: 'Incorrect API key provided. Create a key on the API keys page of the portal.',
  revoked: 'This API key has been revoked.',
  expired: 'This API key has expired. Create a new one on the API keys page of the portal.',
  user_disabled: 'The account this API key belongs to is disabled.',
  api_access_off: 'API access is turned off for this account. Ask an admin to turn it on.',
};

const MISSING =
  "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).";

function bearerOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header?.startsWith('Bearer ')) return undefined;
  const token = header.slice(7).trim();
  return token === '' ? undefined : token;
}

/** The onRequest hook of /v1: only an API key lets a request in; a session cookie or access JWT does not. */
export function apiKeyAuth(apiKeys: ApiKeyService) {
  return async (request: FastifyRequest): Promise<void> => {
    const secret = bearerOf(request);
    if (secret === undefined) throw invalidApiKey(MISSING);
    const check = await apiKeys.authenticate(secret);
    if (!check.ok) throw invalidApiKey(REFUSED[check.reason]);
    request.apiUser = { ...check.user, keyId: check.keyId };
  };
}
