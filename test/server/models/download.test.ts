import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { parseCatalog, type Catalog } from '../../../server/models/catalog.js';
import { sha256File } from '../../../server/models/download.js';
import { ModelDownloadError } from '../../../server/models/download-error.js';
import { pullModel } from '../../../server/models/pull-model.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const FIXTURE = path.resolve(ROOT, 'test/fixtures/models/llama-2-tiny-random.gguf');
// Published in test/fixtures/models/README.md; the first test checks it against the bytes.
const FIXTURE_SHA256 = '81f226c62d28ed4a1a9b9fa080fcd9f0cc40e0f9d5680036583ff98fbcd035cb';
const BYTES = fs.readFileSync(FIXTURE);
const FILE = 'tiny.gguf';

/** How the fixture server answers the next request to /files/tiny.gguf. */
type Mode = 'normal' | 'cut' | 'ignore-range';

interface FixtureServer {
  base: string;
  mode: Mode;
  /** Range headers received, in order ('' when none). */
  ranges: string[];
}

/** A local HTTP server the test controls: Range support, a redirect, a cut-off mode and 404s. */
async function startServer(): Promise<FixtureServer> {
  const state: FixtureServer = { base: '', mode: 'normal', ranges: [] };
  const server = http.createServer((req, res) => {
    if (req.url === `/redirect/${FILE}`) {
      res.writeHead(302, { location: `/files/${FILE}` }).end();
      return;
    }
    if (req.url !== `/files/${FILE}`) {
      res.writeHead(404).end('not found');
      return;
    }
    const range = req.headers.range ?? '';
    state.ranges.push(range);
    const match = /^bytes=(\d+)-$/.exec(range);
    if (match && state.mode !== 'ignore-range') {
      const start = Number(match[1]);
      if (start >= BYTES.length) {
        res.writeHead(416, { 'content-range': `bytes */${BYTES.length}` }).end();
        return;
      }
      res.writeHead(206, {
        'content-length': BYTES.length - start,
        'content-range': `bytes ${start}-${BYTES.length - 1}/${BYTES.length}`,
      });
      res.end(BYTES.subarray(start));
      return;
    }
    res.writeHead(200, { 'content-length': BYTES.length, 'content-type': 'application/octet-stream' });
    if (state.mode === 'cut') {
      state.mode = 'normal';
      // Send 40 % of the file, give the client time to write it, then drop the connection.
      res.write(BYTES.subarray(0, Math.floor(BYTES.length * 0.4)));
      setTimeout(() => res.socket?.destroy(), 300);
      return;
    }
    res.end(BYTES);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return state;
}

function catalogFor(sha256: string): Catalog {
  return parseCatalog({
    default: 'tiny',
    models: { tiny: { file: FILE, url: 'https://example.invalid/unused', sha256, sizeBytes: BYTES.length } },
  });
}

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'model-pull-test-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const server = await startServer();
const catalog = catalogFor(FIXTURE_SHA256);

t.test('the fixture matches its published checksum', async (t) => {
  t.equal(await sha256File(FIXTURE), FIXTURE_SHA256);
});

t.test('full download follows a redirect, verifies and renames the .part', async (t) => {
  const dir = tempDir();
  const seen: number[] = [];
  const result = await pullModel({
    catalog,
    modelsDir: dir,
    url: `${server.base}/redirect/${FILE}`,
    onProgress: (p) => seen.push(p.receivedBytes),
  });
  t.equal(result.verified, true);
  t.equal(result.alreadyPresent, false);
  t.equal(result.bytes, BYTES.length);
  t.ok(fs.readFileSync(path.join(dir, FILE)).equals(BYTES), 'same bytes as the fixture');
  t.notOk(fs.existsSync(path.join(dir, `${FILE}.part`)), 'no .part left');
  t.equal(seen.at(-1), BYTES.length, 'last progress report is the full size');

  const again = await pullModel({ catalog, modelsDir: dir, baseUrl: server.base });
  t.equal(again.alreadyPresent, true, 'a second pull finds the verified file and fetches nothing');
});

t.test('a cut-off download resumes from the .part with a Range request', async (t) => {
  const dir = tempDir();
  const part = path.join(dir, `${FILE}.part`);
  server.mode = 'cut';
  server.ranges.length = 0;
  const first = pullModel({ catalog, modelsDir: dir, baseUrl: `${server.base}/files` });
  await t.rejects(first, { name: 'ModelDownloadError', code: 'interrupted', message: /resume/ });
  const kept = fs.statSync(part).size;
  t.ok(kept > 0 && kept < BYTES.length, `the .part keeps the ${kept} bytes received`);
  t.notOk(fs.existsSync(path.join(dir, FILE)), 'nothing is published before verification');

  const second = await pullModel({ catalog, modelsDir: dir, baseUrl: `${server.base}/files` });
  t.same(server.ranges, ['', `bytes=${kept}-`], 'the second run asked only for the rest');
  t.equal(second.resumedFromBytes, kept);
  t.equal(second.verified, true);
  t.ok(fs.readFileSync(path.join(dir, FILE)).equals(BYTES));
});

t.test('a server that ignores Range makes the download start over, still verified', async (t) => {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, `${FILE}.part`), BYTES.subarray(0, 1000));
  server.mode = 'ignore-range';
  t.teardown(() => {
    server.mode = 'normal';
  });
  const warnings: string[] = [];
  const result = await pullModel({
    catalog,
    modelsDir: dir,
    baseUrl: `${server.base}/files`,
    onWarning: (w) => warnings.push(w),
  });
  t.equal(result.resumedFromBytes, 0);
  t.equal(result.verified, true);
  t.match(warnings.join('\n'), /cannot resume/);
});

t.test('a .part that is already complete is verified without fetching the body again', async (t) => {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, `${FILE}.part`), BYTES);
  const result = await pullModel({ catalog, modelsDir: dir, baseUrl: `${server.base}/files` });
  t.equal(result.verified, true);
  t.equal(result.resumedFromBytes, BYTES.length);
});

t.test('a checksum mismatch deletes the .part and says so', async (t) => {
  const dir = tempDir();
  const wrong = catalogFor('0'.repeat(64));
  const error = await pullModel({ catalog: wrong, modelsDir: dir, baseUrl: `${server.base}/files` }).catch(
    (e: unknown) => e,
  );
  t.type(error, ModelDownloadError);
  t.match(error, {
    code: 'checksum',
    message: /Checksum mismatch for tiny\.gguf: expected SHA-256 0{64}, got 81f226c6/,
  });
  t.same(fs.readdirSync(dir), [], 'neither the .part nor the final file is left');
});

t.test('a 404 is an http error naming the status', async (t) => {
  const dir = tempDir();
  const error = await pullModel({ catalog, modelsDir: dir, url: `${server.base}/missing.gguf` }).catch(
    (e: unknown) => e,
  );
  t.match(error, { code: 'http', status: 404, message: /File not found \(HTTP 404 Not Found\).*out of date/ });
  t.same(fs.readdirSync(dir), []);
});

t.test('no server: a clear offline error', async (t) => {
  const port = await closedPort();
  const error = await pullModel({ catalog, modelsDir: tempDir(), baseUrl: `http://127.0.0.1:${port}` }).catch(
    (e: unknown) => e,
  );
  t.match(error, { code: 'offline', message: `Cannot reach 127.0.0.1:${port} (connection refused)` });
});

/** Runs scripts/model-pull.ts as `npm run model:pull` does, without a TTY. */
function runPull(
  env: Record<string, string>,
  args: string[] = [],
): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts/model-pull.ts'), ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, out, err })));
}

t.test('npm run model:pull: plain progress lines, verified file, clear offline message', async (t) => {
  const dir = tempDir();
  const catalogFile = path.join(dir, 'catalog.json');
  fs.writeFileSync(catalogFile, JSON.stringify(catalog));
  const modelsDir = path.join(dir, 'models');

  const ok = await runPull({
    MODEL_CATALOG: catalogFile,
    MODELS_DIR: modelsDir,
    MODEL_BASE_URL: `${server.base}/files`,
  });
  t.equal(ok.code, 0, ok.err);
  t.match(ok.out, /100\.0%\s+1\.8\/1\.8 MB\s+[\d.]+ MB\/s/);
  t.match(ok.out, /SHA-256 verified/);
  t.ok(fs.readFileSync(path.join(modelsDir, FILE)).equals(BYTES));

  const port = await closedPort();
  const offline = await runPull({
    MODEL_CATALOG: catalogFile,
    MODELS_DIR: path.join(dir, 'other'),
    MODEL_BASE_URL: `http://127.0.0.1:${port}`,
  });
  t.equal(offline.code, 1);
  t.match(offline.err, `model:pull failed: Cannot reach 127.0.0.1:${port} (connection refused)`);

  const unknown = await runPull({ MODEL_CATALOG: catalogFile, MODELS_DIR: modelsDir }, ['nope']);
  t.equal(unknown.code, 1);
  t.match(unknown.err, 'Unknown model "nope". Known models: tiny.');
});
