import path from 'node:path';
import type { Config } from './config.js';
import { DataDirError, describeFsError } from './data-dir.js';

/**
 * One line for a start that failed: what an operator reads first, so it names the variable
 * and the problem rather than a stack. The stack follows only at LOG_LEVEL debug or trace.
 */
export function describeStartupError(error: unknown, config: Config | undefined, env = process.env): string {
  const line = `PocketLLM Portal cannot start: ${reason(error, config)}`.replace(/\s*\n\s*/g, ' ');
  const verbose = env.LOG_LEVEL === 'debug' || env.LOG_LEVEL === 'trace';
  return verbose && error instanceof Error && error.stack ? `${line}\n${error.stack}` : line;
}

function reason(error: unknown, config: Config | undefined): string {
  if (error instanceof DataDirError) return error.message;
  const { code, path: file, syscall } = (error ?? {}) as NodeJS.ErrnoException;
  if (config !== undefined) {
    if (syscall === 'listen') return `PORT ${config.port} on HOST ${config.host}: ${describeFsError(error)}`;
    if (typeof file === 'string' && isInside(file, config.dataDir))
      return new DataDirError(config.dataDir, `cannot be used: ${file}: ${describeFsError(error)}`).message;
    if (typeof code === 'string' && code.startsWith('SQLITE_')) {
      return new DataDirError(
        config.dataDir,
        `cannot be used: the database ${path.join(config.dataDir, 'pocketllm.sqlite')}: ${(error as Error).message} (${code})`,
      ).message;
    }
  }
  return error instanceof Error ? error.message : String(error);
}

function isInside(file: string, dir: string): boolean {
  const relative = path.relative(dir, path.resolve(file));
  return !relative.startsWith('..') && !path.isAbsolute(relative);
}
