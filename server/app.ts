import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import helmet from '@fastify/helmet';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Config } from './config.js';
import authPlugin from './plugins/auth.js';
import cachePlugin from './plugins/cache.js';
import configPlugin from './plugins/config.js';
import dbPlugin from './plugins/db.js';
import drainPlugin from './plugins/drain.js';
import errorHandler from './plugins/error-handler.js';
import inferencePlugin from './plugins/inference.js';
import metricsPlugin from './plugins/metrics.js';
import readinessPlugin from './plugins/readiness.js';
import servicesPlugin from './plugins/services.js';
import staticPlugin from './plugins/static.js';
import adminRoutes from './routes/admin/index.js';
import apiKeyRoutes from './routes/keys/index.js';
import chatRoutes from './routes/chat/index.js';
import conversationRoutes from './routes/conversations/index.js';
import authRoutes from './routes/auth/index.js';
import healthRoutes from './routes/health.js';
import prometheusRoute from './routes/prometheus.js';
import openAiRoutes from './routes/v1/index.js';

/** Largest JSON body any route accepts; chat messages travel over the socket, not here. */
export const BODY_LIMIT_BYTES = 1024 * 1024;

const REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.refreshToken',
  '*.accessToken',
  '*.token',
];

/** Builds the whole portal as one Fastify instance. Tests call it and use `app.inject`. */
export async function buildApp(config: Config): Promise<FastifyInstance> {
  const app = Fastify({
    logger: { level: config.logLevel, redact: { paths: REDACT, censor: '[redacted]' } },
    bodyLimit: BODY_LIMIT_BYTES,
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    // Unknown fields are an error (400), not silently dropped; querystrings still coerce.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: false } },
    forceCloseConnections: true,
  }).withTypeProvider<TypeBoxTypeProvider>();

  // The API speaks JSON only; anything else is a 415, not a string for the schema to puzzle over.
  app.removeContentTypeParser('text/plain');
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'", 'ws:', 'wss:'],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
    // Without HTTPS in front, HSTS would lock a LAN box out of plain HTTP.
    hsts: config.cookieSecure,
  });
  await app.register(errorHandler);
  await app.register(configPlugin, { config });
  await app.register(dbPlugin);
  await app.register(servicesPlugin);
  await app.register(authPlugin);
  await app.register(readinessPlugin);
  await app.register(drainPlugin);
  await app.register(inferencePlugin);
  await app.register(cachePlugin);
  await app.register(metricsPlugin);

  await app.register(healthRoutes);
  await app.register(prometheusRoute);
  await app.register(authRoutes, { prefix: '/api/auth' });
  await app.register(conversationRoutes, { prefix: '/api/conversations' });
  await app.register(chatRoutes, { prefix: '/api/chat' });
  await app.register(adminRoutes, { prefix: '/api/admin' });
  await app.register(apiKeyRoutes, { prefix: '/api/keys' });
  await app.register(openAiRoutes, { prefix: '/v1' });
  // Last: its not-found handler sends browsers the SPA and everything else the contract's 404.
  await app.register(staticPlugin);
  return app;
}
