import path from 'node:path';
import { catalogEntry, catalogPath, loadCatalog, type Catalog, type NamedCatalogEntry } from './catalog.js';
import { downloadFile, type DownloadOptions, type DownloadResult } from './download.js';

export interface PullOptions extends Pick<DownloadOptions, 'onProgress' | 'onWarning' | 'signal' | 'idleTimeoutMs'> {
  /** Folder the file is saved in (MODELS_DIR). */
  modelsDir: string;
  /** Catalog name. Defaults to the catalog's default model. */
  name?: string;
  /** The catalog. Defaults to MODEL_CATALOG, else MODELS_DIR/catalog.json, else models/catalog.json. */
  catalog?: Catalog;
  /** Fetch from this exact URL instead of the entry's. Defaults to the catalog URL. */
  url?: string;
  /** Fetch `<baseUrl>/<file>` instead (a mirror; MODEL_BASE_URL). Defaults to the catalog URL. */
  baseUrl?: string;
}

export interface PullResult extends DownloadResult {
  entry: NamedCatalogEntry;
  /** The URL actually fetched (without query string). */
  url: string;
}

/** Downloads a catalog model into modelsDir (resumable, verified); see downloadFile. */
export async function pullModel(options: PullOptions): Promise<PullResult> {
  const entry = catalogEntry(options.catalog ?? loadCatalog(catalogPath(process.env, options.modelsDir)), options.name);
  const url = sourceUrl(entry, options);
  const result = await downloadFile({
    url,
    dest: path.join(options.modelsDir, entry.file),
    sha256: entry.sha256,
    sizeBytes: entry.sizeBytes,
    onProgress: options.onProgress,
    onWarning: options.onWarning,
    signal: options.signal,
    idleTimeoutMs: options.idleTimeoutMs,
  });
  return { ...result, entry, url };
}

/** The URL to fetch an entry from, honouring the url and baseUrl overrides. */
export function sourceUrl(entry: NamedCatalogEntry, options: Pick<PullOptions, 'url' | 'baseUrl'>): string {
  if (options.url) return options.url;
  if (options.baseUrl) return `${options.baseUrl.replace(/\/+$/, '')}/${encodeURIComponent(entry.file)}`;
  return entry.url;
}
