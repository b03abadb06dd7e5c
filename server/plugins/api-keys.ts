import fp from 'fastify-plugin';
import { createApiKeyService, type ApiKeyService } from '../services/api-key-service.js';

declare module 'fastify' {
  interface FastifyInstance {
    apiKeys: ApiKeyService;
  }
}

/** The API key service, shared by /api/keys, /api/admin/keys and the /v1 key check. */
export default fp(
  async (app) => {
    app.decorate('apiKeys', createApiKeyService(app.db, app.audit));
  },
  { name: 'api-keys', dependencies: ['db', 'auth'] },
);
