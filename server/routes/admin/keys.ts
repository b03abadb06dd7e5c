import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AdminApiKeyList } from '../../../shared/contract/api-keys.js';
import { authErrors } from '../../../shared/contract/errors.js';
import { IdParams } from '../../../shared/contract/ids.js';
import { noContentRoute } from './no-content.js';

/** Every user's API keys; the parent registers these behind requireAdmin. */
const adminKeyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/keys', { schema: { response: { 200: AdminApiKeyList, ...authErrors } } }, async () => ({
    keys: await app.apiKeys.listAll(),
  }));

  app.delete('/keys/:id', noContentRoute(IdParams), async (request, reply) => {
    await app.apiKeys.revokeAny(request.auth!.username, request.params.id);
    return reply.code(204).send(null);
  });
};

export default adminKeyRoutes;
