import type { FastifyPluginAsync } from 'fastify';
import adminAuditRoutes from './audit.js';
import adminUserRoutes from './users.js';

/** Everything under /api/admin requires the admin role, checked once here for all routes. */
const adminRoutes: FastifyPluginAsync = async (app) => {
  app.addHook('onRequest', app.requireAdmin);
  await app.register(adminUserRoutes);
  await app.register(adminAuditRoutes);
};

export default adminRoutes;
