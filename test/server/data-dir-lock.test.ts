import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import t, { type Test } from 'tap';
import { LOCK_FILE, lockDataDir } from '../../server/data-dir-lock.js';
import { DataDirError } from '../../server/data-dir.js';
import { tempDir } from '../helpers/app.js';

/** A live process that is not a portal server, stopped at teardown. */
async function sleeper(t: Test): Promise<number> {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { stdio: 'ignore' });
  t.teardown(() => void child.kill('SIGKILL'));
  await new Promise((resolve) => child.once('spawn', resolve));
  return child.pid!;
}

const writeLock = (dir: string, owner: object) => fs.writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify(owner));
const lockOwner = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, LOCK_FILE), 'utf8')) as { pid: number };

t.test('the lock holds this PID and is gone after release', async (t) => {
  const dir = tempDir(t);
  const lock = lockDataDir(dir);
  t.equal(lockOwner(dir).pid, process.pid);
  lock.release();
  lock.release();
  t.notOk(fs.existsSync(lock.file));
});

t.test('a live owner keeps the directory', async (t) => {
  const dir = tempDir(t);
  const pid = await sleeper(t);
  writeLock(dir, { pid, processStart: null, startedAt: 'earlier' });
  t.throws(
    () => lockDataDir(dir),
    new DataDirError(
      dir,
      `is in use by another PocketLLM Portal server (PID ${pid}, started earlier); stop it first, or give this one another DATA_DIR`,
    ),
  );
  t.equal(lockOwner(dir).pid, pid, 'its lock is left alone');
});

t.test('a lock whose process is gone is taken over', async (t) => {
  const dir = tempDir(t);
  const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  await new Promise((resolve) => child.once('exit', resolve));
  writeLock(dir, { pid: child.pid, processStart: null, startedAt: 'earlier' });
  lockDataDir(dir).release();
  t.pass('taken');
});

t.test(
  'a PID reused by a process that started later does not hold the directory',
  { skip: !fs.existsSync('/proc/self/stat') && 'no /proc' },
  async (t) => {
    const dir = tempDir(t);
    writeLock(dir, { pid: await sleeper(t), processStart: '1', startedAt: 'at boot' });
    const lock = lockDataDir(dir);
    t.equal(lockOwner(dir).pid, process.pid);
    lock.release();
  },
);

t.test('a lock file that holds no owner is stale; a release leaves a lock that is not ours', async (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, LOCK_FILE);
  fs.writeFileSync(file, 'garbage');
  const lock = lockDataDir(dir);
  writeLock(dir, { pid: 1, processStart: null, startedAt: 'later' });
  lock.release();
  t.equal(lockOwner(dir).pid, 1);
});
