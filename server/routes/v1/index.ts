import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { apiKeyAuth } from './api-key-auth.js';
import { Ajv } from 'ajv';
import chatCompletionRoutes from './chat-completions.js';
import modelRoutes from './models.js';
import { routeNotFound, sendOpenAiError } from './openai-errors.js';

/**
 * /v1: the OpenAI-compatible API. Encapsulated: its key check, error handler and 404 apply
 * here only, and every answer (errors too) is in OpenAI's wire format. Routes added beside
 * models.ts find the key's user in `request.apiUser`.
 */
const openAiRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.decorateRequest('apiUser', null);
  // OpenAI's server refuses a wrong type ("temperature": "0.5") naming the param; the app's
  // validator would coerce it. Unknown fields stay allowed and are ignored.
  const ajv = new Ajv({ coerceTypes: false, removeAdditional: false, allErrors: false, strict: false });
  app.setValidatorCompiler(({ schema }) => ajv.compile(schema));
  app.setErrorHandler(sendOpenAiError);
  app.setNotFoundHandler(routeNotFound);
  app.addHook('onRequest', apiKeyAuth(app.apiKeys));
  // The SPA's catch-all route (/*) would otherwise answer unknown /v1 paths with the web app.
  app.all('/*', routeNotFound);
  app.all('/', routeNotFound);

  await app.register(modelRoutes);
  await app.register(chatCompletionRoutes);
};

export default openAiRoutes;
