import { makeDirectory } from './make-directory.js';

/** DATA_DIR cannot be used; the message is one line that names the variable, the path and why. */
export class DataDirError extends Error {
  constructor(
    readonly dir: string,
    reason: string,
  ) {
    super(`DATA_DIR ${dir} ${reason}`);
    this.name = 'DataDirError';
  }
}

const REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  ENOENT: 'no such file or directory',
  ENOTDIR: 'a file is in the way (a path component is not a directory)',
  EEXIST: 'a file is in the way',
  EISDIR: 'is a directory',
  ENAMETOOLONG: 'the path is too long',
  ELOOP: 'too many symbolic links',
};

/** The short, human reason of a file-system error: "permission denied (EACCES)". */
export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === undefined) return error instanceof Error ? error.message : String(error);
  return `${REASONS[code] ?? (error as Error).message.split(',')[0]!.replace(`${code}: `, '')} (${code})`;
}

/** Creates DATA_DIR (and its parents) if missing; throws DataDirError when it cannot be a directory. */
export function ensureDataDir(dir: string): void {
  try {
    makeDirectory(dir);
  } catch (error) {
    throw new DataDirError(dir, `cannot be created: ${describeFsError(error)}`);
  }
}
