import fs from 'node:fs';
import path from 'node:path';
import { DataDirError, describeFsError } from './data-dir.js';

/** The lock file's name inside DATA_DIR. */
export const LOCK_FILE = 'pocketllm.lock';

/** What the lock file holds: who owns the directory, and since when. */
interface LockOwner {
  pid: number;
  /** The process's start in clock ticks since boot (/proc/<pid>/stat); null where there is no /proc. */
  processStart: string | null;
  startedAt: string;
}

export interface DataDirLock {
  readonly file: string;
  /** Removes the lock file if it is still this process's. Safe to call twice, and from an 'exit' handler. */
  release(): void;
}

/**
 * Takes DATA_DIR for this process alone: a second server on the same directory would mark the
 * first one's streaming answers interrupted and double every per-process budget. The lock file
 * is created with O_EXCL; one left by a process that is gone (SIGKILL, power loss) is taken
 * over. Liveness is judged by PID and, where /proc exists, by the process's start time, so a
 * PID reused by an unrelated process does not hold the directory. Throws DataDirError.
 */
export function lockDataDir(dir: string): DataDirLock {
  const file = path.join(dir, LOCK_FILE);
  const me: LockOwner = {
    pid: process.pid,
    processStart: processStart(process.pid),
    startedAt: new Date().toISOString(),
  };
  const content = `${JSON.stringify(me)}\n`;
  // Each round takes the lock, fails on a live owner, clears a stale one or waits for a new one's PID.
  for (let round = 0; round < 20; round++) {
    try {
      fs.writeFileSync(file, content, { flag: 'wx', mode: 0o600 });
      return { file, release: () => releaseIfMine(file, content) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new DataDirError(dir, `is not writable: cannot create ${LOCK_FILE}: ${describeFsError(error)}`);
      }
    }
    const held = readLock(file);
    if (held === 'gone') continue;
    if (held === 'being written') {
      sleep(100);
      continue;
    }
    if (held.owner !== null && isAlive(held.owner)) {
      throw new DataDirError(
        dir,
        `is in use by another PocketLLM Portal server (PID ${held.owner.pid}, started ${held.owner.startedAt}); stop it first, or give this one another DATA_DIR`,
      );
    }
    removeIfUnchanged(file, held.text);
  }
  throw new DataDirError(dir, `is being locked by another server starting at the same time (${LOCK_FILE})`);
}

/** The lock's text and owner (null when it holds none); or why there is nothing to judge yet. */
function readLock(file: string): { text: string; owner: LockOwner | null } | 'gone' | 'being written' {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    throw new DataDirError(path.dirname(file), `is not readable: ${LOCK_FILE}: ${describeFsError(error)}`);
  }
  // Created this instant by a server that has not written its PID yet (an empty lock that stays
  // empty was left by a crash between the two steps, and is stale).
  if (text === '' && Date.now() - (fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0) < 1000)
    return 'being written';
  return { text, owner: parseOwner(text) };
}

function parseOwner(text: string): LockOwner | null {
  try {
    const owner = JSON.parse(text) as Partial<LockOwner>;
    if (!Number.isInteger(owner.pid) || owner.pid! <= 0) return null;
    return {
      pid: owner.pid!,
      processStart: owner.processStart ?? null,
      startedAt: String(owner.startedAt ?? 'at an unknown time'),
    };
  } catch {
    return null;
  }
}

function isAlive(owner: LockOwner): boolean {
  // Our own PID in an old lock: a restarted container whose server is PID 1 again.
  if (owner.pid === process.pid) return false;
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    // EPERM: alive, under another user.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const now = processStart(owner.pid);
  return owner.processStart === null || now === null || now === owner.processStart;
}

/** Field 22 of /proc/<pid>/stat: when the process started, in clock ticks after boot. */
function processStart(pid: number): string | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count from its closing one.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

/** Removes a stale lock only if it still holds what was judged, so a fresh owner's lock survives. */
function removeIfUnchanged(file: string, judged: string): void {
  try {
    if (fs.readFileSync(file, 'utf8') === judged) fs.unlinkSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new DataDirError(
        path.dirname(file),
        `holds a stale ${LOCK_FILE} that cannot be removed: ${describeFsError(error)}`,
      );
    }
  }
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function releaseIfMine(file: string, content: string): void {
  try {
    if (fs.readFileSync(file, 'utf8') === content) fs.unlinkSync(file);
  } catch {
    // Already gone, or the directory with it: nothing left to release.
  }
}
