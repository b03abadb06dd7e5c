import fp from 'fastify-plugin';
import { createResponseCache, type ResponseCache } from '../cache/response-cache.js';

declare module 'fastify' {
  interface FastifyInstance {
    responseCache: ResponseCache;
  }
}

/** The response cache: Redis when REDIS_URL is set and reachable, the in-process LRU otherwise. */
export default fp(
  async (app) => {
    const { config } = app;
    const cache = createResponseCache({
      redisUrl: config.redisUrl,
      ttlSec: config.cacheTtlSec,
      memoryMb: config.cacheMemoryMb,
      logger: app.log.child({ component: 'cache' }),
    });
    app.decorate('responseCache', cache);
    await cache.ready();
    app.readinessChecks.push({
      name: 'cache',
      // A dead Redis degrades the cache to memory; it never makes the portal unready.
      check: async () => null,
    });
    app.addHook('onClose', async () => cache.close());
  },
  { name: 'cache', dependencies: ['config', 'readiness'] },
);
