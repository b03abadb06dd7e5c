import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { sql } from 'kysely';
import fp from 'fastify-plugin';
import { Health, Readiness } from '../../shared/contract/health.js';

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

const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/healthz', { schema: { response: { 200: Health } } }, async () => ({ status: 'ok' as const }));

  app.get(
    '/readyz',
    { schema: { response: { '2xx': Readiness, 503: Readiness } } },
    async (_request, reply) => {
      const results = await Promise.all(app.readinessChecks.map(async (c) => [c.name, await c.check()] as const));
      const checks = Object.fromEntries(results.map(([name, problem]) => [name, problem === null ? { ok: true } : { ok: false, message: problem }]));
      const ready = results.every(([, problem]) => problem === null);
      return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', checks });
    },
  );
};

export default healthRoutes;
