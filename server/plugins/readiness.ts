import { sql } from 'kysely';
import fp from 'fastify-plugin';

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

/** The checks behind /readyz: the database's own, and those plugins (model, cache) add after it. */
export default fp(
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

/** Runs every check; ready when none reports a problem. */
export async function checkReadiness(checks: ReadinessCheck[]) {
  const results = await Promise.all(checks.map(async (c) => [c.name, await c.check()] as const));
  const ready = results.every(([, problem]) => problem === null);
  const byName = Object.fromEntries(
    results.map(([name, problem]) => [name, problem === null ? { ok: true } : { ok: false, message: problem }]),
  );
  return { ready, checks: byName };
}
