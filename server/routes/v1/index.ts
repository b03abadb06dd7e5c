import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { apiKeyAuth } from './api-key-auth.js';
import modelRoutes from './models.js';
import { routeNotFound, sendOpenAiError } from './openai-errors.js';

/**
 * /v1: the OpenAI-compatible API. Encapsulated: its key check, error handler and 404 apply
 * here only, and every answer (errors too) is in OpenAI's wire format. Routes added beside
 * models.ts find the key's user in `request.apiUser`.
 */
const openAiRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.decorateRequest('apiUser', null);
  app.setErrorHandler(sendOpenAiError);
  app.setNotFoundHandler(routeNotFound);
  app.addHook('onRequest', apiKeyAuth(app.apiKeys));
  // The SPA's catch-all route (/*) would otherwise answer unknown /v1 paths with the web app.
  app.all('/*', routeNotFound);

  await app.register(modelRoutes);
};

export default openAiRoutes;
