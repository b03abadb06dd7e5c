import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Health, Readiness } from '../../shared/contract/health.js';
import { checkReadiness } from '../plugins/readiness.js';
import { withoutServerPaths } from '../models/public-hint.js';

const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/healthz', { schema: { response: { 200: Health } } }, async () => ({ status: 'ok' as const }));

  app.get('/readyz', { schema: { response: { '2xx': Readiness, 503: Readiness } } }, async (_request, reply) => {
    const { ready, checks } = await checkReadiness(app.readinessChecks);
    // Anyone may ask: the hints say what is wrong without naming the server's paths.
    const shown = Object.fromEntries(
      Object.entries(checks).map(([name, c]) => [
        name,
        c.message ? { ...c, message: withoutServerPaths(c.message) } : c,
      ]),
    );
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', checks: shown });
  });
};

export default healthRoutes;
