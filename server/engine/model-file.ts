import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.js';

/** The default model's file name when no catalog can be read (the catalog normally names it). */
export const FALLBACK_MODEL_FILE = 'tinyllama-1.1b-chat-v1.0.Q4_K_M.gguf';

/** The repo's models/ folder, from server/engine/ in source and dist/server/engine/ when built. */
const REPO_MODEL_DIRS = [
  path.resolve(import.meta.dirname, '../../models'),
  path.resolve(import.meta.dirname, '../../../models'),
];

export interface ModelFile {
  /** Absolute path of the GGUF file to load. */
  path: string;
  exists: boolean;
  /** How to fix a missing file: one sentence for /readyz and `model_unavailable`; null if it exists. */
  hint: string | null;
}

/** MODEL_PATH when set, else the catalog's default model file inside MODELS_DIR. */
export function resolveModelFile(config: Pick<Config, 'modelPath' | 'modelsDir'>): ModelFile {
  const file = config.modelPath ?? path.join(config.modelsDir, defaultModelFileName(config.modelsDir));
  const exists = isFile(file);
  if (exists) return { path: file, exists, hint: null };
  const hint = config.modelPath !== undefined
    ? `MODEL_PATH points to ${file}, which is not a readable file. Set MODEL_PATH=/path/to/model.gguf ` +
      'to an existing GGUF file, or unset it and run `npm run model:pull` to download the default model.'
    : `No model file at ${file}. Run \`npm run model:pull\` to download the default model, ` +
      'or set MODEL_PATH=/path/to/model.gguf.';
  return { path: file, exists, hint };
}

/**
 * The default model's file name from models/catalog.json (MODELS_DIR's own catalog first, then
 * the repo's). Tolerates a missing or broken catalog: the server must start without one.
 */
export function defaultModelFileName(modelsDir: string): string {
  for (const dir of [modelsDir, ...REPO_MODEL_DIRS]) {
    const name = readCatalogDefault(path.join(dir, 'catalog.json'));
    if (name !== null) return name;
  }
  return FALLBACK_MODEL_FILE;
}

function readCatalogDefault(catalogPath: string): string | null {
  try {
    const catalog = JSON.parse(fs.readFileSync(catalogPath, 'utf8')) as {
      default?: unknown;
      models?: Record<string, { file?: unknown }>;
    };
    const file = typeof catalog.default === 'string' ? catalog.models?.[catalog.default]?.file : undefined;
    // A file name only: a catalog must not point the server outside MODELS_DIR.
    return typeof file === 'string' && file !== '' && path.basename(file) === file ? file : null;
  } catch {
    return null;
  }
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
