import fs from 'node:fs';
import path from 'node:path';

/**
 * `mkdir -p` that always ends. Node's `mkdir({ recursive: true })` (sync and async) loops
 * forever at full CPU when mkdir answers ENOENT under a parent that exists, as it does in
 * /proc; here each level is tried once, and that ENOENT is thrown.
 */
export function makeDirectory(dir: string): void {
  try {
    fs.mkdirSync(dir);
    return;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      if (fs.statSync(dir).isDirectory()) return;
      throw error;
    }
    if (code !== 'ENOENT') throw error;
  }
  const parent = path.dirname(dir);
  if (parent === dir)
    throw Object.assign(new Error(`ENOENT: no such file or directory, mkdir '${dir}'`), { code: 'ENOENT' });
  makeDirectory(parent);
  // No retry: an ENOENT now, with the parent in place, is the file system's final answer.
  fs.mkdirSync(dir);
}
