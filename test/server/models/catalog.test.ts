import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { testConfig } from '../../helpers/config.js';
import { catalogEntry, catalogPath, CatalogError, loadCatalog, parseCatalog } from '../../../server/models/catalog.js';
import { formatDuration, formatProgress, createProgressBar } from '../../../server/models/progress-bar.js';
import { locateModel, missingModelHint, resolveModelPath } from '../../../server/models/resolve-model.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');

t.test('the shipped catalog names TinyLlama Q4_K_M with its published checksum and size', async (t) => {
  t.equal(catalogPath({}), path.join(ROOT, 'models/catalog.json'));
  const catalog = loadCatalog();
  const entry = catalogEntry(catalog);
  t.equal(entry.name, 'tinyllama-1.1b-chat-q4_k_m');
  t.equal(entry.file, 'tinyllama-1.1b-chat-v1.0.Q4_K_M.gguf');
  t.match(entry.url, /^https:\/\/huggingface\.co\/TheBloke\/TinyLlama-1\.1B-Chat-v1\.0-GGUF\/resolve\/main\//);
  t.equal(entry.sha256, '9fecc3b3cd76bba89d504f29b616eedf7da85b96540e490ca5824d3f7d2776a0');
  t.equal(entry.sizeBytes, 668788096);
});

t.test('catalog location: MODEL_CATALOG, else MODELS_DIR/catalog.json, else the project one', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'catalog-path-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  t.equal(catalogPath({}, dir), path.join(ROOT, 'models/catalog.json'));
  fs.writeFileSync(path.join(dir, 'catalog.json'), '{}');
  t.equal(catalogPath({}, dir), path.join(dir, 'catalog.json'));
  t.equal(catalogPath({ MODEL_CATALOG: '/tmp/x.json' }, dir), '/tmp/x.json');
});

t.test('bad catalogs are refused with the reason', async (t) => {
  const entry = { file: 'a.gguf', url: 'https://example.com/a.gguf' };
  t.throws(() => parseCatalog({ default: 'x', models: { a: entry } }), /default model "x" is not in "models"/);
  t.throws(() => parseCatalog({ default: 'a', models: { a: { ...entry, file: '../a.gguf' } } }), /plain "file" name/);
  t.throws(() => parseCatalog({ default: 'a', models: { a: { ...entry, url: 'ftp://x' } } }), /http\(s\) "url"/);
  t.throws(() => parseCatalog({ default: 'a', models: { a: { ...entry, sha256: 'abc' } } }), /64 hex digits/);
  t.throws(() => parseCatalog([]), CatalogError);
  t.throws(() => loadCatalog('/nonexistent/catalog.json'), /Cannot read the model catalog/);
  const ok = parseCatalog({ default: 'a', models: { a: { ...entry, sha256: 'AB'.repeat(32) } } });
  t.equal(ok.models.a?.sha256, 'ab'.repeat(32), 'checksums are normalised to lower case');
  t.throws(() => catalogEntry(ok, 'b'), /Unknown model "b". Known models: a\./);
});

t.test('resolveModelPath: MODEL_PATH wins, else the default model in MODELS_DIR', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resolve-model-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const config = testConfig({ modelsDir: dir, modelPath: undefined });
  const expected = path.join(dir, 'tinyllama-1.1b-chat-v1.0.Q4_K_M.gguf');
  t.equal(resolveModelPath(config), expected);
  t.match(locateModel(config), { source: 'catalog', catalogName: 'tinyllama-1.1b-chat-q4_k_m', exists: false });
  t.match(missingModelHint(config), /No model file at .*npm run model:pull.*MODEL_PATH=\/path\/to\/model\.gguf/);

  fs.writeFileSync(expected, 'x');
  t.equal(locateModel(config).exists, true);

  const explicit = testConfig({ modelsDir: dir, modelPath: path.join(dir, 'mine.gguf') });
  t.equal(resolveModelPath(explicit), path.join(dir, 'mine.gguf'));
  t.match(locateModel(explicit), { source: 'env', catalogName: null, exists: false });
  t.match(missingModelHint(explicit), /MODEL_PATH points to .*mine\.gguf, which is not a readable file/);
});

t.test('progress lines show percent, MB, speed and ETA', async (t) => {
  const line = formatProgress(
    { receivedBytes: 250e6, totalBytes: 500e6, resumedFromBytes: 100e6, bytesPerSecond: 10e6 },
    10,
  );
  t.equal(line, '[#####.....]   50.0%  250.0/500.0 MB  10.0 MB/s  ETA 0:25  (resumed at 100.0 MB)');
  t.equal(
    formatProgress({ receivedBytes: 1e6, totalBytes: null, resumedFromBytes: 0, bytesPerSecond: 0 }, 10),
    '1.0 MB  0.0 MB/s',
  );
  t.equal(formatDuration(3700), '1:01:40');

  const written: string[] = [];
  const tty = createProgressBar({ isTTY: true, columns: 100, write: (s) => written.push(s) });
  tty.update({ receivedBytes: 5, totalBytes: 10, resumedFromBytes: 0, bytesPerSecond: 1 });
  tty.done();
  t.match(written[0], /^\r\[#+\.+\]\s+50\.0%/, 'a TTY gets one redrawn line');
  t.ok(written[0]?.endsWith('\u001b[K'), 'which clears what an older, longer line left');
  t.equal(written.at(-1), '\n');

  const plain: string[] = [];
  const log = createProgressBar({ isTTY: false, write: (s) => plain.push(s) });
  for (let i = 0; i <= 100; i++)
    log.update({ receivedBytes: i, totalBytes: 100, resumedFromBytes: 0, bytesPerSecond: 1 });
  log.done();
  t.equal(plain.length, 11, 'a log gets one plain line per 10 %');
  t.notOk(plain.join('').includes('\r') || plain.join('').includes('\u001b'), 'no cursor control in logs');
});
