import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorResponse, IdParams, Password, RoleSchema, Username, authErrors } from '../schemas.js';

const AdminUser = Type.Object({
  id: Type.String(),
  username: Type.String(),
  role: RoleSchema,
  disabled: Type.Boolean(),
  apiAccess: Type.Boolean(),
  createdAt: Type.String(),
  lastLoginAt: Type.Union([Type.String(), Type.Null()]),
});
const errors = { ...authErrors, 409: ErrorResponse };

/** User management; the parent registers these behind requireAdmin. */
const adminUserRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const actor = (request: { auth: { username: string } | null }) => request.auth?.username ?? null;

  app.get('/users', { schema: { response: { 200: Type.Object({ users: Type.Array(AdminUser) }), ...errors } } }, async () => ({
    users: await app.users.list(),
  }));

  app.post(
    '/users',
    {
      schema: {
        body: Type.Object({ username: Username, password: Password, role: Type.Optional(RoleSchema) }, { additionalProperties: false }),
        response: { 201: Type.Object({ user: AdminUser }), ...errors },
      },
    },
    async (request, reply) => {
      const { username, password, role } = request.body;
      const user = await app.users.create(actor(request)!, username, password, role ?? 'user');
      return reply.code(201).send({ user });
    },
  );

  app.patch(
    '/users/:id',
    {
      schema: {
        params: IdParams,
        body: Type.Object(
          { role: Type.Optional(RoleSchema), disabled: Type.Optional(Type.Boolean()), password: Type.Optional(Password), apiAccess: Type.Optional(Type.Boolean()) },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: Type.Object({ user: AdminUser }), ...errors },
      },
    },
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
