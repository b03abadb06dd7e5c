import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { sql } from 'kysely';
import fp from 'fastify-plugin';
import { withoutServerPaths } from '../models/public-hint.js';

export interface ReadinessCheck {
  name: string;
  /** Resolves with null when healthy, else a message saying what is wrong and how to fix it. */
  check(): Promise<string | null>;
}

declare module 'fastify' {
  interface FastifyInstance {
    readinessChecks: ReadinessCheck[];
  }
}

/** Lets plugins (model, cache) add their checks before the routes read them. */
export const readinessRegistry = fp(
  async (app) => {
    app.decorate('readinessChecks', [
      {
        name: 'database',
        async check() {
          try {
            await sql`select 1`.execute(app.db);
            return null;
          } catch (error) {
            return `The database does not answer (${(error as Error).message}). Check DATA_DIR is writable and the disk is not full.`;
          }
        },
      },
    ]);
  },
  { name: 'readiness', dependencies: ['db'] },
);

const Check = Type.Object({ ok: Type.Boolean(), message: Type.Optional(Type.String()) });

const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/healthz', { schema: { response: { 200: Type.Object({ status: Type.Literal('ok') }) } } }, async () => ({
    status: 'ok' as const,
  }));

  app.get(
    '/readyz',
    {
      schema: {
        response: {
          '2xx': Type.Object({ status: Type.String(), checks: Type.Record(Type.String(), Check) }),
          503: Type.Object({ status: Type.String(), checks: Type.Record(Type.String(), Check) }),
        },
      },
    },
    async (_request, reply) => {
      const results = await Promise.all(app.readinessChecks.map(async (c) => [c.name, await c.check()] as const));
      const checks = Object.fromEntries(
        results.map(([name, problem]) => [
          name,
          problem === null ? { ok: true } : { ok: false, message: withoutServerPaths(problem) },
        ]),
      );
      const ready = results.every(([, problem]) => problem === null);
      return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', checks });
    },
  );
};

export default healthRoutes;
