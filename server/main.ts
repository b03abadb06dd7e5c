import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';

/** Starts the portal: config from the environment, listen, and a graceful stop on signals. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  const app = await buildApp(config);
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal, graceMs: config.shutdownGraceMs }, 'shutting down');
    // A stuck close must not keep a stopped container alive forever.
    const force = setTimeout(() => process.exit(1), config.shutdownGraceMs + 30_000).unref();
    // Answers first (they finish or are cut and stored), then clients are told; only then
    // do the engine and the database close.
    app.drain
      .drain(config.shutdownGraceMs)
      .then(() => app.close())
      .then(
        () => {
          clearTimeout(force);
          process.exit(0);
        },
        (error: unknown) => {
          app.log.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  await app.listen({ port: config.port, host: config.host });
}

main().catch((error: unknown) => {
  console.error('PocketLLM Portal failed to start:', error);
  process.exit(1);
});
