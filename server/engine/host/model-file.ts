import path from 'node:path';
import type { Config } from '../../config.js';
import { locateModel, missingModelHint } from '../../models/resolve-model.js';

/** The default model's file name when no catalog can be read (the catalog normally names it). */
export const FALLBACK_MODEL_FILE = 'tinyllama-1.1b-chat-v1.0.Q4_K_M.gguf';

export interface ModelFile {
  /** Absolute path of the GGUF file to load. */
  path: string;
  exists: boolean;
  /** How to fix a missing file: one sentence for /readyz and `model_unavailable`; null if it exists. */
  hint: string | null;
}

/**
 * MODEL_PATH when set, else the catalog's default model file inside MODELS_DIR (the same
 * lookup as `npm run model:pull`). A missing or broken catalog must not stop the server.
 */
export function resolveModelFile(config: Pick<Config, 'modelPath' | 'modelsDir'>): ModelFile {
  try {
    const location = locateModel(config);
    return { path: location.path, exists: location.exists, hint: location.exists ? null : missingModelHint(config) };
  } catch (error) {
    const file = path.join(config.modelsDir, FALLBACK_MODEL_FILE);
    const hint = `${(error as Error).message} Fix the catalog, or set MODEL_PATH=/path/to/model.gguf; \`npm run model:pull\` needs a valid catalog.`;
    return { path: file, exists: false, hint };
  }
}
