import { ConfigError, loadConfig, type Config } from './config.js';
import { ensureDataDir } from './data-dir.js';
import { lockDataDir } from './data-dir-lock.js';
import { describeStartupError } from './startup-error.js';

let config: Config | undefined;

/** Starts the portal: config from the environment, listen, and a graceful stop on signals. */
async function main(): Promise<void> {
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  // Before anything opens the database: migrations and the recovery of cut-off answers
  // belong to the one server that owns the directory.
  ensureDataDir(config.dataDir);
  const lock = lockDataDir(config.dataDir);
  process.on('exit', () => lock.release());
  // Loaded only now: a start refused above answers at once, without loading the whole app.
  const { buildApp } = await import('./app.js');
  const app = await buildApp(config);
  const graceMs = config.shutdownGraceMs;
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal, graceMs }, 'shutting down');
    // A stuck close must not keep a stopped container alive forever.
    const force = setTimeout(() => process.exit(1), graceMs + 30_000).unref();
    // Answers first (they finish or are cut and stored), then clients are told; only then
    // do the engine and the database close.
    app.drain
      .drain(graceMs)
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
  console.error(describeStartupError(error, config));
  process.exit(1);
});
