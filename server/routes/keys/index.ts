import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ApiKeyList, CreateApiKeyBody, CreatedApiKey } from '../../../shared/contract/api-keys.js';
import { ErrorBody, authErrors } from '../../../shared/contract/errors.js';
import { IdParams } from '../../../shared/contract/ids.js';

/**
 * /api/keys: a signed-in user's own API keys. Signed in means a session (cookie or Bearer
 * access token): an API key itself never reaches these routes.
 */
const apiKeyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addHook('onRequest', app.authenticate);

  app.get('/', { schema: { response: { 200: ApiKeyList, ...authErrors } } }, async (request) => ({
    keys: await app.apiKeys.list(request.auth!.id),
  }));

  app.post(
    '/',
    { schema: { body: CreateApiKeyBody, response: { 201: CreatedApiKey, ...authErrors, 409: ErrorBody } } },
    async (request, reply) => reply.code(201).send(await app.apiKeys.create(request.auth!, request.body)),
  );

  app.delete(
    '/:id',
    { schema: { params: IdParams, response: { 204: Type.Null(), ...authErrors } } },
    async (request, reply) => {
      await app.apiKeys.revoke(request.auth!, request.params.id);
      return reply.code(204).send(null);
    },
  );
};

export default apiKeyRoutes;
