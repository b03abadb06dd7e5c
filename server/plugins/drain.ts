import fp from 'fastify-plugin';
import { createDrain, type Drain } from '../services/drain.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The graceful shutdown's state: chat consults it, main.ts starts it on SIGTERM. */
    drain: Drain;
  }
}

/** The draining state, and /readyz saying 503 once it began so a balancer stops sending. */
export default fp(
  async (app) => {
    const drain = createDrain();
    app.decorate('drain', drain);
    app.readinessChecks.push({
      name: 'shutdown',
      check: async () => (drain.draining ? 'The server is shutting down; send requests to another instance.' : null),
    });
  },
  { name: 'drain', dependencies: ['readiness'] },
);
