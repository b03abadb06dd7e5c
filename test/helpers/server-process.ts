import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { PASSWORD, TINY_ZEPHYR, tempDir, type Teardown } from './app.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

export interface ServerProcess {
  child: ChildProcess;
  base: string;
  wsUrl: string;
  dataDir: string;
  /** Resolves with the exit code once the process ended. */
  exited: Promise<number | null>;
  /** An admin's access token. */
  token: string;
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });

async function waitReady(base: string) {
  for (let i = 0; i < 300; i++) {
    const ready = await fetch(`${base}/readyz`).catch(() => undefined);
    if (ready?.ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('server did not become ready');
}

/** Starts `server/main.ts` as its own process with the tiny model, waits until ready and signs the admin in. */
export async function startServer(t: Teardown, env: Record<string, string> = {}): Promise<ServerProcess> {
  const dataDir = tempDir(t);
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      MODEL_PATH: TINY_ZEPHYR,
      CONTEXT_SIZE: '8192',
      MAX_TOKENS: '8000',
      PARALLEL: '1',
      THREADS: '1',
      ADMIN_USERNAME: 'admin',
      ADMIN_PASSWORD: PASSWORD,
      LOG_LEVEL: 'warn',
      REDIS_URL: '',
      ...env,
    },
    stdio: 'ignore',
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  t.teardown(() => void child.kill('SIGKILL'));
  const base = `http://127.0.0.1:${port}`;
  await waitReady(base);
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: PASSWORD }),
  });
  const { accessToken } = (await res.json()) as { accessToken: string };
  return { child, base, wsUrl: `ws://127.0.0.1:${port}/api/chat/ws`, dataDir, exited, token: accessToken };
}
