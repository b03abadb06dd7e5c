/**
 * `npm run model:pull [name]` — downloads a catalog model into MODELS_DIR with a progress bar,
 * resumes a broken download and verifies its SHA-256.
 *
 *   npm run model:pull                       # the default model (TinyLlama-1.1B-Chat Q4_K_M)
 *   npm run model:pull -- --list             # what the catalog offers
 *   npm run model:pull -- NAME --url URL     # fetch from another URL (a mirror, a test server)
 *
 * Environment: MODELS_DIR (default ./models), MODEL_CATALOG (default MODELS_DIR/catalog.json
 * if there is one, else the project's models/catalog.json),
 * MODEL_BASE_URL (fetch <base>/<file> instead of the catalog URL).
 * From a built tree (Docker): `node dist/scripts/model-pull.js`.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CatalogError, catalogPath, loadCatalog, type Catalog } from '../server/models/catalog.js';
import { ModelDownloadError } from '../server/models/download-error.js';
import { pullWithProgress } from '../server/models/pull-with-progress.js';

const USAGE = `Usage: model-pull [name] [--url URL] [--models-dir DIR] [--catalog FILE] [--list]`;

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      url: { type: 'string' },
      'models-dir': { type: 'string' },
      catalog: { type: 'string' },
      list: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || positionals.length > 1) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  const env = process.env;
  const modelsDir = path.resolve(values['models-dir'] ?? (env.MODELS_DIR?.trim() || './models'));
  const catalog = loadCatalog(values.catalog ?? catalogPath(env, modelsDir));
  if (values.list) {
    printList(catalog);
    return 0;
  }
  const controller = new AbortController();
  // Ctrl-C keeps the .part file: the next run resumes it.
  process.once('SIGINT', () => controller.abort());
  await pullWithProgress({
    catalog,
    name: positionals[0],
    modelsDir,
    url: values.url,
    baseUrl: env.MODEL_BASE_URL?.trim() || undefined,
    signal: controller.signal,
  });
  return 0;
}

function printList(catalog: Catalog): void {
  for (const [name, entry] of Object.entries(catalog.models)) {
    const size = entry.sizeBytes ? `${(entry.sizeBytes / 1e6).toFixed(0)} MB` : 'size unknown';
    const mark = name === catalog.default ? ' (default)' : '';
    console.log(`${name}${mark}  ${entry.file}  ${size}\n  ${entry.description ?? ''}`);
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ModelDownloadError || error instanceof CatalogError) {
      console.error(`\nmodel:pull failed: ${error.message}`);
    } else {
      console.error('\nmodel:pull failed:', error);
    }
    process.exit(1);
  },
);
