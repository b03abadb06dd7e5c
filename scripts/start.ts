/**
 * What `npm start` runs after the build (as dist/scripts/start.js): the friendly first start.
 *
 * With MODEL_PATH unset and the catalog's default model missing from MODELS_DIR, it downloads
 * that model first (progress bar; Ctrl-C keeps the .part and a later start resumes it). If the
 * download fails (offline…) it says how to supply a model and starts anyway: the portal runs
 * without a model and /readyz explains what is missing. Then it starts the server by importing
 * server/main.js, which loads the config, listens and handles shutdown.
 *
 * `npm run start:prod` (node dist/server/main.js, what the Docker image runs) never downloads.
 */
import { ConfigError, loadConfig, type Config } from '../server/config.js';
import { locateModel } from '../server/models/resolve-model.js';
import { pullWithProgress } from '../server/models/pull-with-progress.js';

const HOW_TO_SUPPLY = [
  'The portal starts without a model; chat answers "model_unavailable" until one is there. To supply one:',
  '  - download the default model:  npm run model:pull',
  '  - or put a GGUF file in MODELS_DIR under the catalog name shown above',
  '  - or point at any GGUF file:   MODEL_PATH=/path/to/model.gguf npm start',
].join('\n');

async function ensureDefaultModel(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) return; // server/main.js reports it and exits
    throw error;
  }
  // An explicit MODEL_PATH is the operator's choice: never download over or around it.
  if (config.modelPath !== undefined) return;
  let location;
  try {
    location = locateModel(config);
  } catch (error) {
    console.error(`Cannot read the model catalog: ${(error as Error).message}\n${HOW_TO_SUPPLY}`);
    return;
  }
  if (location.exists) return;

  console.log(`No model at ${location.path}: downloading the default model first.`);
  const controller = new AbortController();
  const onInterrupt = () => controller.abort();
  process.once('SIGINT', onInterrupt);
  try {
    await pullWithProgress({
      modelsDir: config.modelsDir,
      baseUrl: process.env.MODEL_BASE_URL?.trim() || undefined,
      signal: controller.signal,
    });
  } catch (error) {
    if (controller.signal.aborted) {
      console.error('\nDownload stopped; run `npm start` or `npm run model:pull` again to resume it.');
      process.exit(130);
    }
    console.error(`\nCould not download the model: ${(error as Error).message}\n${HOW_TO_SUPPLY}\n`);
  } finally {
    process.removeListener('SIGINT', onInterrupt);
  }
}

await ensureDefaultModel();
// Relative, so dist/scripts/start.js loads dist/server/main.js.
await import('../server/main.js');
