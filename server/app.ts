import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import helmet from '@fastify/helmet';
import { TypeBoxValidatorCompiler, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Config } from './config.js';
import authPlugin from './plugins/auth.js';
import cachePlugin from './plugins/cache.js';
import configPlugin from './plugins/config.js';
import dbPlugin from './plugins/db.js';
import drainPlugin from './plugins/drain.js';
import errorHandler, { clientErrorHandler, sendError } from './plugins/error-handler.js';
import inferencePlugin from './plugins/inference.js';
import metricsPlugin from './plugins/metrics.js';
import quotasPlugin, { type QuotasOptions } from './plugins/quotas.js';
import { refuseCrossSiteCookies } from './plugins/same-origin.js';
import readinessPlugin from './plugins/readiness.js';
import restRateLimit from './plugins/rest-rate-limit.js';
import servicesPlugin from './plugins/services.js';
import staticPlugin from './plugins/static.js';
import adminRoutes from './routes/admin/index.js';
import apiKeyRoutes from './routes/keys/index.js';
import chatRoutes from './routes/chat/index.js';
import conversationRoutes from './routes/conversations/index.js';
import authRoutes from './routes/auth/index.js';
import usageRoutes from './routes/usage/index.js';
import healthRoutes from './routes/health.js';
import prometheusRoute from './routes/prometheus.js';
import openAiRoutes from './routes/v1/index.js';

/** Largest JSON body any route accepts; chat messages travel over the socket, not here. */
export const BODY_LIMIT_BYTES = 1024 * 1024;

/**
 * Longest path parameter routed; longer gets 414. Above Node's own URL bound would be moot,
 * so an over-long id reaches its route's schema and gets that route's 400.
 */
export const MAX_PARAM_LENGTH = 8 * 1024;

/** Answers that are never stored by a browser or proxy: they are per user and change. */
const NO_STORE_PREFIXES = ['/api/', '/healthz', '/readyz'];

const REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.refreshToken',
  '*.accessToken',
  '*.token',
];

export interface AppDeps {
  /** The clock rate limits and usage days are counted by. Defaults to Date.now. */
  now?: QuotasOptions['now'];
}

/** Builds the whole portal as one Fastify instance. Tests call it and use `app.inject`. */
export async function buildApp(config: Config, deps: AppDeps = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: { level: config.logLevel, redact: { paths: REDACT, censor: '[redacted]' } },
    bodyLimit: BODY_LIMIT_BYTES,
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    forceCloseConnections: true,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    // The router's own errors (bad %-encoding, a parameter over MAX_PARAM_LENGTH) in the contract's shape.
    frameworkErrors: (error, request, reply) => sendError(error, request, reply),
    clientErrorHandler,
  }).withTypeProvider<TypeBoxTypeProvider>();
  // TypeBox checks bodies exactly as sent ({"username": 123} is a 400, not "123"; unknown
  // fields are an error, not dropped) and converts only querystrings, params and headers,
  // which arrive as text.
  app.setValidatorCompiler(TypeBoxValidatorCompiler);

  // The API speaks JSON only; anything else is a 415, not a string for the schema to puzzle over.
  app.removeContentTypeParser('text/plain');
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
    if (NO_STORE_PREFIXES.some((prefix) => request.url.startsWith(prefix))) reply.header('cache-control', 'no-store');
  });
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        // 'self' covers the portal's own ws:/wss: origin in CSP Level 3 browsers.
        connectSrc: ["'self'"],
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
  app.addHook('onRequest', refuseCrossSiteCookies(config));
  await app.register(configPlugin, { config });
  await app.register(dbPlugin);
  await app.register(servicesPlugin);
  await app.register(authPlugin);
  await app.register(readinessPlugin);
  await app.register(drainPlugin);
  await app.register(inferencePlugin);
  await app.register(cachePlugin);
  await app.register(metricsPlugin);
  await app.register(quotasPlugin, { now: deps.now });
  await app.register(restRateLimit);

  await app.register(healthRoutes);
  await app.register(prometheusRoute);
  await app.register(authRoutes, { prefix: '/api/auth' });
  await app.register(conversationRoutes, { prefix: '/api/conversations' });
  await app.register(chatRoutes, { prefix: '/api/chat' });
  await app.register(adminRoutes, { prefix: '/api/admin' });
  await app.register(apiKeyRoutes, { prefix: '/api/keys' });
  await app.register(usageRoutes, { prefix: '/api/usage' });
  await app.register(openAiRoutes, { prefix: '/v1' });
  // Last: its not-found handler sends browsers the SPA and everything else the contract's 404.
  await app.register(staticPlugin);
  return app;
}
