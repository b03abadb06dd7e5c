import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { authErrors } from '../../../shared/contract/errors.js';
import { noContentRoute } from './no-content.js';
import { Limits, LimitsOverride, LimitsTable, RoleParams, UserIdParams } from '../../../shared/contract/usage.js';

/** Limits per role and per user; the parent registers these behind requireAdmin. */
const adminLimitRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/limits', { schema: { response: { 200: LimitsTable, ...authErrors } } }, async () => app.limits.table());

  app.put(
    '/limits/roles/:role',
    { schema: { params: RoleParams, body: Limits, response: { 200: Limits, ...authErrors } } },
    async (request) => app.limits.setRole(request.auth!.username, request.params.role, request.body),
  );

  app.put(
    '/limits/users/:userId',
    { schema: { params: UserIdParams, body: LimitsOverride, response: { 200: LimitsOverride, ...authErrors } } },
    async (request) => app.limits.setUser(request.auth!.username, request.params.userId, request.body),
  );

  app.delete('/limits/users/:userId', noContentRoute(UserIdParams), async (request, reply) => {
    await app.limits.dropUser(request.auth!.username, request.params.userId);
    return reply.code(204).send(null);
  });
};

export default adminLimitRoutes;
