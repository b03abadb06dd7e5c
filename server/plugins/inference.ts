import fp from 'fastify-plugin';
import type { Config } from '../config.js';
import { createEngine, type Engine } from '../engine/engine.js';

declare module 'fastify' {
  interface FastifyInstance {
    engine: Engine;
  }
}

/**
 * Starts the inference worker. The server does not wait for the model to load: /readyz
 * says 503 until it has, and chat answers `model_unavailable` with the fix meanwhile.
 */
export default fp(
  async (app) => {
    const config: Config = app.config;
    const engine = createEngine(config, app.log);
    app.decorate('engine', engine);
    app.readinessChecks.push({
      name: 'model',
      check: async () => {
        const status = engine.status();
        if (status.state === 'ready') return null;
        if (status.state === 'loading' || status.state === 'restarting')
          return `The model is ${status.state}; try again in a moment.`;
        return status.hint ?? 'No model is loaded.';
      },
    });
    void engine.ready().then((status) => {
      if (status.state === 'ready') app.log.info({ model: engine.model().name }, 'model ready');
      else app.log.warn({ hint: status.hint }, 'no model loaded: the portal runs, chat is unavailable');
    });
    app.addHook('onClose', async () => engine.close());
  },
  { name: 'inference', dependencies: ['config', 'readiness'] },
);
