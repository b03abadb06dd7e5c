import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { testConfig } from '../../helpers/config.js';
import { createEngine } from '../../../server/engine/engine.js';
import { resolveModelFile } from '../../../server/engine/host/model-file.js';

const ZEPHYR = path.resolve(import.meta.dirname, '../../fixtures/models/tiny-random-zephyr.gguf');

function tempDir(t: { teardown(fn: () => unknown): void }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pocketllm-engine-'));
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function start(t: { teardown(fn: () => unknown): void }, overrides: Parameters<typeof testConfig>[0]) {
  const engine = createEngine(testConfig({ contextSize: 256, parallel: 1, threads: 1, maxTokens: 8, ...overrides }));
  t.teardown(() => engine.close());
  return engine;
}

t.test('without a model file the engine starts unavailable and says how to fix it', async (t) => {
  const engine = start(t, { modelPath: path.join(tempDir(t), 'missing.gguf') });
  const status = await engine.ready();
  t.equal(status.state, 'unavailable');
  t.match(status.hint, /missing\.gguf/);
  t.match(status.hint, /npm run model:pull/);
  t.match(status.hint, /MODEL_PATH=\/path\/to\/model\.gguf/);
  t.equal(engine.model().loaded, false);
  await t.rejects(engine.plan([{ role: 'user', content: 'hi' }]), { code: 'model_unavailable', message: status.hint! });
  const generating = (async () => {
    for await (const event of engine.generate({ userId: 'u', messages: [{ role: 'user', content: 'hi' }] })) void event;
  })();
  await t.rejects(generating, { code: 'model_unavailable', message: status.hint! });
});

t.test("the default model is the catalog's file in MODELS_DIR, and a catalog is optional", async (t) => {
  const modelsDir = tempDir(t);
  const fromRepoCatalog = resolveModelFile({ modelPath: undefined, modelsDir });
  t.equal(fromRepoCatalog.path, path.join(modelsDir, 'tinyllama-1.1b-chat-v1.0.Q4_K_M.gguf'));
  t.equal(fromRepoCatalog.exists, false);
  t.match(fromRepoCatalog.hint, /npm run model:pull/);

  fs.writeFileSync(
    path.join(modelsDir, 'catalog.json'),
    JSON.stringify({ default: 'x', models: { x: { file: 'x.gguf', url: 'http://127.0.0.1:9/x.gguf' } } }),
  );
  t.equal(resolveModelFile({ modelPath: undefined, modelsDir }).path, path.join(modelsDir, 'x.gguf'));
  fs.writeFileSync(path.join(modelsDir, 'catalog.json'), '{ broken');
  t.equal(
    path.basename(resolveModelFile({ modelPath: undefined, modelsDir }).path),
    'tinyllama-1.1b-chat-v1.0.Q4_K_M.gguf',
  );
});

t.test('a model pulled while the server runs is picked up without a restart', async (t) => {
  const modelsDir = tempDir(t);
  fs.writeFileSync(
    path.join(modelsDir, 'catalog.json'),
    JSON.stringify({ default: 'tiny', models: { tiny: { file: 'tiny.gguf', url: 'http://127.0.0.1:9/tiny.gguf' } } }),
  );
  const engine = start(t, { modelsDir });
  t.equal((await engine.ready()).state, 'unavailable');
  fs.copyFileSync(ZEPHYR, path.join(modelsDir, 'tiny.gguf'));
  for (let i = 0; i < 600 && engine.status().state !== 'ready'; i++)
    await new Promise((resolve) => setTimeout(resolve, 50));
  t.equal(engine.status().state, 'ready');
  t.match(engine.model(), {
    loaded: true,
    file: 'tiny.gguf',
    architecture: 'llama',
    quantization: 'F16',
    fingerprint: /^[0-9a-f]{64}$/,
  });
});

t.test('a file that is not a GGUF model leaves the engine unavailable with a hint, not a crash', async (t) => {
  const file = path.join(tempDir(t), 'broken.gguf');
  fs.writeFileSync(file, 'this is not a model');
  const engine = start(t, { modelPath: file });
  const status = await engine.ready();
  t.equal(status.state, 'unavailable');
  t.match(status.hint, /Could not load the model at .*broken\.gguf/);
});

t.test('the fingerprint depends on the content, not the path', async (t) => {
  const copy = path.join(tempDir(t), 'copy.gguf');
  fs.copyFileSync(ZEPHYR, copy);
  const { modelFingerprint } = await import('../../../server/engine/host/model-fingerprint.js');
  t.equal(await modelFingerprint(copy), await modelFingerprint(ZEPHYR));
  const other = path.resolve(ZEPHYR, '../llama-2-tiny-random.gguf');
  t.not(await modelFingerprint(other), await modelFingerprint(ZEPHYR));
});
