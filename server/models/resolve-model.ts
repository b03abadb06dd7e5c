import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.js';
import { catalogEntry, catalogPath, loadCatalog, type Catalog } from './catalog.js';

type ModelConfig = Pick<Config, 'modelPath' | 'modelsDir'>;

/** Where the model comes from and whether its file is there. */
export interface ModelLocation {
  /** Absolute path of the GGUF file to load. */
  path: string;
  /** 'env' when MODEL_PATH chose it, 'catalog' when it is the default model in MODELS_DIR. */
  source: 'env' | 'catalog';
  /** The catalog name when source is 'catalog'. */
  catalogName: string | null;
  exists: boolean;
}

/** MODEL_PATH when set, else the catalog's default model file inside MODELS_DIR. */
export function resolveModelPath(config: ModelConfig, catalog?: Catalog): string {
  return locateModel(config, catalog).path;
}

/** Like resolveModelPath, with where the path came from and whether the file exists. */
export function locateModel(config: ModelConfig, catalog?: Catalog): ModelLocation {
  if (config.modelPath !== undefined) {
    return { path: config.modelPath, source: 'env', catalogName: null, exists: isFile(config.modelPath) };
  }
  const entry = catalogEntry(catalog ?? loadCatalog(catalogPath(process.env, config.modelsDir)));
  const file = path.join(config.modelsDir, entry.file);
  return { path: file, source: 'catalog', catalogName: entry.name, exists: isFile(file) };
}

/**
 * One sentence for /readyz and `model_unavailable`: which file is missing and the three ways
 * to supply one. Never includes anything secret.
 */
export function missingModelHint(config: ModelConfig, catalog?: Catalog): string {
  const location = locateModel(config, catalog);
  if (location.source === 'env') {
    return (
      `MODEL_PATH points to ${location.path}, which is not a readable file. ` +
      'Set MODEL_PATH=/path/to/model.gguf to an existing GGUF file, or unset it to use the default model ' +
      '(download it with `npm run model:pull`).'
    );
  }
  return (
    `No model file at ${location.path}. Download the default model with \`npm run model:pull\` ` +
    '(in Docker: `docker compose run --rm portal node dist/scripts/model-pull.js`), ' +
    `put a GGUF file named ${path.basename(location.path)} in MODELS_DIR (${config.modelsDir}), ` +
    'or start with MODEL_PATH=/path/to/model.gguf.'
  );
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
