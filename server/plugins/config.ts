import fp from 'fastify-plugin';
import type { Config } from '../config.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The parsed configuration, read by every plugin and route that needs it. */
    config: Config;
  }
}

/** Decorates the configuration once, so plugins and routes read `app.config` instead of taking options. */
export default fp(
  async (app, opts: { config: Config }) => {
    app.decorate('config', opts.config);
  },
  { name: 'config' },
);
