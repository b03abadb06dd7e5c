import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';

// scripts/start.ts is what `npm start` runs (compiled): it downloads the default model when it
// is missing, then imports server/main.js. Here it runs through tsx against a local server.
const ROOT = path.resolve(import.meta.dirname, '../..');
const FIXTURE = path.resolve(ROOT, 'test/fixtures/models/tiny-random-zephyr.gguf');
const FIXTURE_SHA256 = '161bddbdb3cabc1083add963f8dbc7fbecc20657395f9349d117660517106f05';
const FILE = 'default.gguf';

let requests = 0;
const server = http.createServer((req, res) => {
  requests++;
  if (req.url !== `/m/${FILE}`) return void res.writeHead(404).end();
  res.writeHead(200, { 'content-length': fs.statSync(FIXTURE).size });
  fs.createReadStream(FIXTURE).pipe(res);
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/m`;

function freePort(): Promise<number> {
  const probe = http.createServer();
  return new Promise((resolve) =>
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    }),
  );
}

interface Started {
  child: ChildProcess;
  port: number;
  output: () => string;
  modelsDir: string;
}

async function start(env: Record<string, string>): Promise<Started> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'start-test-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const modelsDir = path.join(dir, 'models');
  // An operator's catalog inside MODELS_DIR: read by start.ts and by the engine alike.
  fs.mkdirSync(modelsDir);
  fs.writeFileSync(
    path.join(modelsDir, 'catalog.json'),
    JSON.stringify({
      default: 'test-default',
      models: { 'test-default': { file: FILE, url: 'https://example.invalid/x', sha256: FIXTURE_SHA256 } },
    }),
  );
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts/start.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: path.join(dir, 'data'),
      MODELS_DIR: modelsDir,
      LOG_LEVEL: 'warn',
      PARALLEL: '1',
      THREADS: '1',
      ...env,
    },
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  t.teardown(() => void child.kill('SIGKILL'));
  return { child, port, output: () => output, modelsDir };
}

/** Polls a URL path until it answers 200 (bounded: 450 tries), or the process exits. */
async function healthy(s: Started, url = '/healthz'): Promise<boolean> {
  for (let i = 0; i < 450 && s.child.exitCode === null; i++) {
    try {
      const res = await fetch(`http://127.0.0.1:${s.port}${url}`);
      if (res.status === 200) return true;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

async function stop(s: Started): Promise<number | null> {
  if (s.child.exitCode !== null) return s.child.exitCode;
  const exited = new Promise<number | null>((resolve) => s.child.once('exit', (code) => resolve(code)));
  s.child.kill('SIGTERM');
  return exited;
}

t.test('no model: start downloads the default model, verifies it, then serves', async (t) => {
  const s = await start({ MODEL_BASE_URL: base });
  t.ok(await healthy(s), `the server answers /healthz\n${s.output()}`);
  t.match(s.output(), /No model at .*default\.gguf: downloading the default model first/);
  t.match(s.output(), /SHA-256 verified/);
  t.equal(fs.statSync(path.join(s.modelsDir, FILE)).size, fs.statSync(FIXTURE).size);
  t.ok(await healthy(s, '/readyz'), `the downloaded model loads: /readyz says 200\n${s.output()}`);
  t.equal(await stop(s), 0, 'SIGTERM stops it cleanly');
});

t.test('offline: start explains how to supply a model and serves anyway', async (t) => {
  const port = await freePort();
  const s = await start({ MODEL_BASE_URL: `http://127.0.0.1:${port}` });
  t.ok(await healthy(s), `the server answers /healthz\n${s.output()}`);
  t.match(s.output(), `Could not download the model: Cannot reach 127.0.0.1:${port} (connection refused)`);
  t.match(s.output(), 'MODEL_PATH=/path/to/model.gguf npm start');
  t.match(s.output(), 'npm run model:pull');
  t.equal(await stop(s), 0);
});

t.test('MODEL_PATH set: nothing is downloaded', async (t) => {
  const before = requests;
  const s = await start({ MODEL_BASE_URL: base, MODEL_PATH: FIXTURE });
  t.ok(await healthy(s, '/readyz'), `MODEL_PATH's model loads\n${s.output()}`);
  t.equal(requests, before, 'no request reached the download server');
  t.notMatch(s.output(), /downloading/);
  t.equal(await stop(s), 0);
});
