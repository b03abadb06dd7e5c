import type { FastifyPluginAsync } from 'fastify';
import adminAuditRoutes from './audit.js';
import adminKeyRoutes from './keys.js';
import adminLimitRoutes from './limits.js';
import adminMetricsRoutes from './metrics.js';
import adminUsageRoutes from './usage.js';
import adminUserRoutes from './users.js';
import fp from 'fastify-plugin';

/** Everything under /api/admin requires the admin role, checked once here for all routes. */
const adminRoutes: FastifyPluginAsync = async (app) => {
  app.addHook('onRequest', app.requireAdmin);
  await app.register(adminUserRoutes);
  await app.register(adminAuditRoutes);
  await app.register(adminMetricsRoutes);
  await app.register(adminKeyRoutes);
  await app.register(adminLimitRoutes);
  await app.register(adminUsageRoutes);
};

// Encapsulated, yet named: Fastify checks the services it reads are registered first.
export default fp(adminRoutes, {
  name: 'admin-routes',
  encapsulate: true,
  dependencies: ['auth', 'services', 'cache', 'metrics', 'quotas'],
});
