import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AdminUserList, AdminUserReply, NewUserBody, UserPatchBody } from '../../../shared/contract/admin.js';
import { ErrorBody, authErrors } from '../../../shared/contract/errors.js';
import { IdParams } from '../../../shared/contract/ids.js';

const errors = { ...authErrors, 409: ErrorBody };

/** User management; the parent registers these behind requireAdmin. */
const adminUserRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const actor = (request: { auth: { username: string } | null }) => request.auth?.username ?? null;

  app.get('/users', { schema: { response: { 200: AdminUserList, ...errors } } }, async () => ({
    users: await app.users.list(),
  }));

  app.post(
    '/users',
    { schema: { body: NewUserBody, response: { 201: AdminUserReply, ...errors } } },
    async (request, reply) => {
      const { username, password, role } = request.body;
      const user = await app.users.create(actor(request)!, username, password, role ?? 'user');
      return reply.code(201).send({ user });
    },
  );

  app.patch(
    '/users/:id',
    { schema: { params: IdParams, body: UserPatchBody, response: { 200: AdminUserReply, ...errors } } },
    async (request) => ({ user: await app.users.update(actor(request)!, request.params.id, request.body) }),
  );

  app.delete(
    '/users/:id',
    { schema: { params: IdParams, response: { 204: Type.Null(), ...errors } } },
    async (request, reply) => {
      await app.users.remove(actor(request)!, request.params.id);
      return reply.code(204).send(null);
    },
  );
};

export default adminUserRoutes;
