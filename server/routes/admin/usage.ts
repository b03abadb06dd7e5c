import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { authErrors } from '../../../shared/contract/errors.js';
import { AdminUsage, UsageRangeQuery } from '../../../shared/contract/usage.js';

/** Every user's usage; the parent registers this behind requireAdmin. */
const adminUsageRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/usage',
    { schema: { querystring: UsageRangeQuery, response: { 200: AdminUsage, ...authErrors } } },
    async (request) => app.usage.all(request.query),
  );
};

export default adminUsageRoutes;
