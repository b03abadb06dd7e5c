import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { DataDirError, describeFsError, ensureDataDir } from '../data-dir.js';

/**
 * JWT_SECRET when given; otherwise a secret generated once into DATA_DIR (mode 0600), so
 * tokens survive restarts without the operator having to invent one.
 */
export function resolveJwtSecret(configured: string | undefined, dataDir: string): string {
  if (configured) return configured;
  const file = path.join(dataDir, 'jwt-secret');
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
      throw new DataDirError(dataDir, `cannot be used: ${file}: ${describeFsError(error)}`);
  }
  ensureDataDir(dataDir);
  const secret = randomBytes(48).toString('base64url');
  // 'wx' fails if another process wrote it first; then we read theirs.
  try {
    fs.writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return fs.readFileSync(file, 'utf8').trim();
  }
}
