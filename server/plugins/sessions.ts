import fp from 'fastify-plugin';
import { createSessionTracker, type SessionTracker } from '../services/session-tracker.js';

declare module 'fastify' {
  interface FastifyInstance {
    sessions: SessionTracker;
  }
}

export default fp(async (app) => {
  app.decorate('sessions', createSessionTracker());
}, { name: 'sessions' });
