import fs from 'node:fs';
import path from 'node:path';

/** One downloadable model in models/catalog.json. */
export interface CatalogEntry {
  /** File name inside MODELS_DIR. */
  file: string;
  /** Where `npm run model:pull` fetches it (HTTP or HTTPS; redirects are followed). */
  url: string;
  /** Lower-case hex SHA-256 of the whole file. Optional: without it the download is not verified. */
  sha256?: string;
  /** Exact size in bytes, used for progress and to tell a finished `.part` from a broken one. */
  sizeBytes?: number;
  description?: string;
  license?: string;
  source?: string;
}

export interface Catalog {
  /** Name of the model used when MODEL_PATH is unset. */
  default: string;
  models: Record<string, CatalogEntry>;
}

/** A catalog entry with its name, as handed to the downloader. */
export interface NamedCatalogEntry extends CatalogEntry {
  name: string;
}

export class CatalogError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CatalogError';
  }
}

const CATALOG_RELATIVE = path.join('models', 'catalog.json');

/**
 * Where the catalog lives: MODEL_CATALOG if set; else a catalog.json inside MODELS_DIR (an
 * operator's own list, also what the engine reads first); else models/catalog.json in the
 * project, found by walking up from this file so it works from server/ (tsx) and dist/server/.
 */
export function catalogPath(env: Record<string, string | undefined> = process.env, modelsDir?: string): string {
  const override = env.MODEL_CATALOG?.trim();
  if (override) return path.resolve(override);
  if (modelsDir !== undefined && fs.existsSync(path.join(modelsDir, 'catalog.json'))) {
    return path.join(modelsDir, 'catalog.json');
  }
  let dir = import.meta.dirname;
  for (let i = 0; i < 5; i++) {
    const candidate = path.join(dir, CATALOG_RELATIVE);
    if (fs.existsSync(candidate)) return candidate;
    dir = path.dirname(dir);
  }
  return path.resolve(CATALOG_RELATIVE);
}

/** Reads and checks a catalog file; throws CatalogError naming what is wrong. */
export function loadCatalog(file: string = catalogPath()): Catalog {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new CatalogError(`Cannot read the model catalog ${file}: ${(error as Error).message}`);
  }
  return parseCatalog(raw, file);
}

/** Validates a parsed catalog object (exported for tests and other sources). */
export function parseCatalog(raw: unknown, where = 'catalog'): Catalog {
  const fail = (why: string): never => {
    throw new CatalogError(`Invalid model catalog ${where}: ${why}`);
  };
  if (!isObject(raw) || !isObject(raw.models)) return fail('expected {"default", "models": {...}}');
  if (typeof raw.default !== 'string') return fail('"default" must be a model name');
  const models: Record<string, CatalogEntry> = {};
  for (const [name, entry] of Object.entries(raw.models)) {
    models[name] = parseEntry(name, entry, fail);
  }
  if (!models[raw.default]) fail(`default model "${raw.default}" is not in "models"`);
  return { default: raw.default, models };
}

function parseEntry(name: string, entry: unknown, fail: (why: string) => never): CatalogEntry {
  if (!isObject(entry)) return fail(`model "${name}" must be an object`);
  const { file, url, sha256, sizeBytes } = entry;
  // The file name is joined to MODELS_DIR: never let it climb out of it.
  if (typeof file !== 'string' || file !== path.basename(file) || file.startsWith('.')) {
    fail(`model "${name}" needs a plain "file" name`);
  }
  if (typeof url !== 'string' || !/^https?:\/\//.test(url)) fail(`model "${name}" needs an http(s) "url"`);
  if (sha256 !== undefined && (typeof sha256 !== 'string' || !/^[0-9a-f]{64}$/i.test(sha256))) {
    fail(`model "${name}" has a "sha256" that is not 64 hex digits`);
  }
  if (sizeBytes !== undefined && (!Number.isSafeInteger(sizeBytes) || (sizeBytes as number) <= 0)) {
    fail(`model "${name}" has a bad "sizeBytes"`);
  }
  return {
    ...(entry as unknown as CatalogEntry),
    sha256: typeof sha256 === 'string' ? sha256.toLowerCase() : undefined,
  };
}

/** The named entry, or the catalog's default when name is undefined. */
export function catalogEntry(catalog: Catalog, name?: string): NamedCatalogEntry {
  const key = name ?? catalog.default;
  const entry = catalog.models[key];
  if (!entry) {
    throw new CatalogError(`Unknown model "${key}". Known models: ${Object.keys(catalog.models).join(', ')}.`);
  }
  return { name: key, ...entry };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
