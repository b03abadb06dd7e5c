import fp from 'fastify-plugin';
import rateLimit from '@fastify/rate-limit';
import type { FastifyRequest } from 'fastify';
import { RateLimitError } from '../quota/rate-limit-error.js';

/** REST and the OpenAI API are limited; static files, health, metrics and the socket upgrade are not. */
export function isLimitedUrl(url: string): boolean {
  if (url.startsWith('/api/chat/ws')) return false;
  return url.startsWith('/api/') || url.startsWith('/v1/');
}

/**
 * A generous per-address limit on the REST API, a second line of defence behind the per-user
 * limits (and apart from the login throttle). Counted in process: it guards this process.
 */
export default fp(
  async (app) => {
    const max = app.config.rateLimitPerMinute;
    if (max === 0) return;
    await app.register(rateLimit, {
      max,
      timeWindow: 60_000,
      allowList: (request: FastifyRequest) => !isLimitedUrl(request.url),
      // Thrown to the error handler, which answers in the contract's shape with Retry-After.
      errorResponseBuilder: (_request, context) => new RateLimitError(undefined, context.ttl),
    });
  },
  { name: 'rest-rate-limit', dependencies: ['config', 'error-handler'] },
);
