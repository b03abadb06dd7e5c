import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import t, { type Test } from 'tap';
import { LOCK_FILE } from '../../server/data-dir-lock.js';
import { tempDir } from '../helpers/app.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
// A refused start must end on its own; this bound only stops a test whose server hangs (as one
// on DATA_DIR=/proc/1/nope once did, at full CPU). Generous: starting tsx on a loaded machine is slow.
const EXIT_BOUND_MS = 30_000;

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });

interface Server {
  child: ChildProcess;
  port: number;
  stderr: () => string;
  /** Exit code, or the signal that ended it. */
  exited: Promise<number | string>;
}

/** server/main.ts as `npm run start:prod` runs it, without a model (it starts faster). */
async function startServer(
  t: Test,
  env: Record<string, string>,
  options: SpawnOptions = {},
  command?: string[],
): Promise<Server> {
  const port = await freePort();
  const main = ['--import', 'tsx', 'server/main.ts'];
  const [file, ...args] = command ?? [process.execPath, ...main];
  const child = spawn(file!, args, {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      MODELS_DIR: tempDir(t),
      LOG_LEVEL: 'warn',
      REDIS_URL: '',
      THREADS: '1',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
    ...options,
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  t.teardown(() => void child.kill('SIGKILL'));
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? String(signal))),
  );
  return { child, port, stderr: () => stderr, exited };
}

async function healthy(server: Server): Promise<void> {
  for (let i = 0; i < 600 && server.child.exitCode === null; i++) {
    const res = await fetch(`http://127.0.0.1:${server.port}/healthz`).catch(() => undefined);
    if (res?.ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server did not become healthy: ${server.stderr()}`);
}

/** A refused start: ends by itself, non-zero, with one line on stderr that says what is wrong. */
async function refused(t: Test, server: Server, ...mentions: string[]) {
  let bound: NodeJS.Timeout | undefined;
  const hung = new Promise<string>((resolve) => (bound = setTimeout(() => resolve('hung'), EXIT_BOUND_MS)));
  const code = await Promise.race([server.exited, hung]);
  clearTimeout(bound);
  server.child.kill('SIGKILL');
  t.not(code, 'hung', 'it ended by itself');
  t.not(code, 0, `exit code ${code}`);
  const lines = server.stderr().trimEnd().split('\n');
  t.equal(lines.length, 1, `one line: ${server.stderr()}`);
  t.notMatch(server.stderr(), /^\s+at /m, 'no stack trace');
  for (const mention of mentions) t.ok(lines[0]!.includes(mention), `it names ${mention}`);
}

t.test('a second server on the same DATA_DIR is refused; the first keeps it until SIGTERM', async (t) => {
  const dataDir = tempDir(t);
  const first = await startServer(t, { DATA_DIR: dataDir });
  await healthy(first);
  const lock = path.join(dataDir, LOCK_FILE);
  t.match(JSON.parse(fs.readFileSync(lock, 'utf8')), { pid: first.child.pid }, 'the lock names the first server');

  const second = await startServer(t, { DATA_DIR: dataDir });
  await refused(t, second, 'DATA_DIR', dataDir, `PID ${first.child.pid}`);
  t.match(
    JSON.parse(fs.readFileSync(lock, 'utf8')),
    { pid: first.child.pid },
    'the refused server left the lock alone',
  );
  t.ok((await fetch(`http://127.0.0.1:${first.port}/healthz`)).ok, 'the first server still serves');

  first.child.kill('SIGTERM');
  t.equal(await first.exited, 0, 'a clean stop');
  t.notOk(fs.existsSync(lock), 'released at shutdown');
});

t.test('a lock left by a killed server is taken over', async (t) => {
  const dataDir = tempDir(t);
  const killed = await startServer(t, { DATA_DIR: dataDir });
  await healthy(killed);
  killed.child.kill('SIGKILL');
  await killed.exited;
  const lock = path.join(dataDir, LOCK_FILE);
  t.match(JSON.parse(fs.readFileSync(lock, 'utf8')), { pid: killed.child.pid }, 'SIGKILL left the lock behind');

  const next = await startServer(t, { DATA_DIR: dataDir });
  await healthy(next);
  t.match(JSON.parse(fs.readFileSync(lock, 'utf8')), { pid: next.child.pid }, 'the new server holds it');
});

t.test(
  'DATA_DIR under /proc, where mkdir answers ENOENT below a parent that exists',
  { skip: !fs.existsSync('/proc/1') && 'no /proc' },
  async (t) => {
    await refused(t, await startServer(t, { DATA_DIR: '/proc/1/nope' }), 'DATA_DIR', '/proc/1/nope', 'ENOENT');
  },
);

t.test('a file where DATA_DIR or one of its parents should be', async (t) => {
  const file = path.join(tempDir(t), 'a-file');
  fs.writeFileSync(file, '');
  await refused(t, await startServer(t, { DATA_DIR: file }), 'DATA_DIR', file, 'a file is in the way');
  await refused(t, await startServer(t, { DATA_DIR: path.join(file, 'data') }), 'DATA_DIR', 'a file is in the way');
});

// Root writes anywhere: the server then runs as nobody, for whom the directory is read-only,
// and without tap's process hooks (NODE_OPTIONS), which write where nobody may not.
const asRoot = process.getuid?.() === 0;
const asUser: SpawnOptions = asRoot ? { uid: 65534, gid: 65534 } : {};
const withoutHooks = asRoot
  ? ['env', '-u', 'NODE_OPTIONS', process.execPath, '--import', 'tsx', 'server/main.ts']
  : undefined;

t.test('a DATA_DIR the server may not write to', { skip: process.platform === 'win32' && 'POSIX modes' }, async (t) => {
  const parent = tempDir(t);
  fs.chmodSync(parent, 0o755);
  const readOnly = path.join(parent, 'read-only');
  fs.mkdirSync(readOnly, { mode: 0o555 });
  fs.chmodSync(readOnly, 0o555);
  await refused(
    t,
    await startServer(t, { DATA_DIR: readOnly }, asUser, withoutHooks),
    'DATA_DIR',
    readOnly,
    'permission denied',
  );
  await refused(
    t,
    await startServer(t, { DATA_DIR: path.join(readOnly, 'data') }, asUser, withoutHooks),
    'DATA_DIR',
    'permission denied',
  );
});

/** Whether this process may mount a read-only tmpfs in a mount namespace of its own (it ends with the probe). */
const canMountReadOnly =
  spawnSync('unshare', ['-m', 'sh', '-c', `mount -t tmpfs -o ro tmpfs '${os.tmpdir()}'`]).status === 0;

t.test(
  'a DATA_DIR on a read-only file system',
  { skip: !canMountReadOnly && 'cannot mount a read-only file system here' },
  async (t) => {
    const dir = tempDir(t);
    const node = [process.execPath, '--import', 'tsx', 'server/main.ts'].map((a) => `'${a}'`).join(' ');
    const command = ['unshare', '-m', 'sh', '-c', `mount -t tmpfs -o ro tmpfs '${dir}' && exec ${node}`];
    await refused(t, await startServer(t, { DATA_DIR: dir }, {}, command), 'DATA_DIR', dir, 'read-only file system');
  },
);
