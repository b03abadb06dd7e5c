import path from 'node:path';
import { catalogEntry, catalogPath, loadCatalog } from './catalog.js';
import { createProgressBar, type ProgressOutput } from './progress-bar.js';
import { pullModel, sourceUrl, type PullOptions, type PullResult } from './pull-model.js';
import { safeUrl } from './range-request.js';

/**
 * pullModel for a terminal: says what it fetches and where, draws the progress bar on `out`,
 * prints warnings and the verified result. Errors are thrown for the caller to explain.
 */
export async function pullWithProgress(
  options: Omit<PullOptions, 'onProgress' | 'onWarning'>,
  out: ProgressOutput = process.stdout,
): Promise<PullResult> {
  const catalog = options.catalog ?? loadCatalog(catalogPath(process.env, options.modelsDir));
  const entry = catalogEntry(catalog, options.name);
  const dest = path.join(options.modelsDir, entry.file);
  const size = entry.sizeBytes ? ` (${(entry.sizeBytes / 1e6).toFixed(0)} MB)` : '';
  out.write(`Model ${entry.name}${size}\n  from ${safeUrl(sourceUrl(entry, options))}\n  to   ${dest}\n`);
  const bar = createProgressBar(out, ' ');
  let result: PullResult;
  try {
    result = await pullModel({
      ...options,
      catalog,
      onProgress: (progress) => bar.update(progress),
      onWarning: (message) => out.write(`${out.isTTY ? '\n' : ''}Warning: ${message}\n`),
    });
  } finally {
    bar.done();
  }
  if (result.alreadyPresent) {
    out.write(`Already downloaded${result.verified ? ' (SHA-256 verified)' : ''}: ${result.path}\n`);
  } else {
    const check = result.verified ? 'SHA-256 verified' : 'not verified: no checksum known';
    out.write(`Saved ${result.path} (${(result.bytes / 1e6).toFixed(1)} MB, ${check}).\n`);
  }
  return result;
}
