import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AuditPage, AuditQuery } from '../../../shared/contract/admin.js';
import { authErrors } from '../../../shared/contract/errors.js';

const adminAuditRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/audit',
    { schema: { querystring: AuditQuery, response: { 200: AuditPage, ...authErrors } } },
    async (request) => {
      const { limit = 50, cursor } = request.query;
      return app.audit.list(limit, cursor === undefined ? undefined : Number(cursor));
    },
  );
};

export default adminAuditRoutes;
