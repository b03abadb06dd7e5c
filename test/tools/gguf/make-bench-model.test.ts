import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { getLlama } from 'node-llama-cpp';
import t from 'tap';
import { GgmlType } from '../../../tools/gguf/gguf-format.js';
import { readGgufHeader } from '../../../tools/gguf/gguf-reader.js';
import { encodeHeader } from '../../../tools/gguf/gguf-writer.js';
import {
  llamaTensors,
  parameterCount,
  TINYLLAMA_SHAPE,
  useMoreBits,
  ZEPHYR_TEMPLATE,
} from '../../../tools/gguf/llama-shape.js';
import { blockRecipe, toHalfBits } from '../../../tools/gguf/random-weights.js';
import { makeBenchModel } from '../../../tools/gguf/make-bench-model.js';

const SHARED = path.resolve(import.meta.dirname, '../../fixtures/models');
const ZEPHYR = path.join(SHARED, 'tiny-random-zephyr.gguf');
const LLAMA2 = path.join(SHARED, 'llama-2-tiny-random.gguf');
const SMALL = { layers: 2, embd: 64, ff: 128, heads: 4, kvHeads: 2, ctx: 512 };

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-model-'));
t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
const sha = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const kvValue = (file: string, key: string) => readGgufHeader(file).kv.find((e) => e.key === key)?.value;

t.test('the full shape is TinyLlama-1.1B: 201 tensors, 1,100,048,384 parameters, ~620 MB of Q4_0', async (t) => {
  const tensors = llamaTensors(TINYLLAMA_SHAPE, 32000, 1);
  t.equal(tensors.length, 201);
  t.equal(parameterCount(tensors), 1_100_048_384);
  const { dataBytes } = encodeHeader([], tensors);
  t.ok(dataBytes > 600e6 && dataBytes < 640e6, `${dataBytes} bytes of tensor data`);
  const byName = new Map(tensors.map((x) => [x.name, x]));
  t.same(byName.get('blk.21.attn_k.weight')?.dims, [2048, 256], '4 KV heads of 64');
  t.same(byName.get('blk.0.ffn_down.weight')?.dims, [5632, 2048]);
  t.equal(byName.get('output_norm.weight')?.type, GgmlType.F32);
});

t.test('the Q4_K_M mix follows llama.cpp and lands on the real file size', async (t) => {
  const layers = Array.from({ length: 22 }, (_, i) => i).filter((i) => useMoreBits(i, 22));
  t.same(layers, [0, 1, 4, 7, 10, 13, 16, 19, 20, 21]);
  const tensors = llamaTensors(TINYLLAMA_SHAPE, 32000, 1, 0.02, 'q4_k_m');
  const types = new Map(tensors.map((x) => [x.name, x.type]));
  t.equal(types.get('output.weight'), GgmlType.Q6_K);
  t.equal(types.get('token_embd.weight'), GgmlType.Q4_K);
  t.equal(types.get('blk.4.ffn_down.weight'), GgmlType.Q6_K);
  t.equal(types.get('blk.5.attn_v.weight'), GgmlType.Q4_K);
  const { dataBytes } = encodeHeader([], tensors);
  // TheBloke's tinyllama-1.1b-chat-v1.0.Q4_K_M.gguf is 668,788,096 bytes, metadata included.
  t.ok(Math.abs(dataBytes - 668_788_096) / 668_788_096 < 0.005, `${dataBytes} bytes of tensor data`);
});

t.test('a Q4_K block decodes (as ggml reads it) to weights of mean ~0 and the asked std', async (t) => {
  const { template } = blockRecipe(GgmlType.Q4_K, 0.02);
  const half = (at: number) => {
    const h = (template[at] ?? 0) | ((template[at + 1] ?? 0) << 8);
    return 2 ** (((h >> 10) & 31) - 15) * (1 + (h & 1023) / 1024);
  };
  const q = template.subarray(4, 16);
  const at = (i: number) => q[i] ?? 0;
  // ggml-quants.c get_scale_min_k4
  const scaleMin = (j: number) =>
    j < 4
      ? [at(j) & 63, at(j + 4) & 63]
      : [(at(j + 4) & 0xf) | ((at(j - 4) >> 6) << 4), (at(j + 4) >> 4) | ((at(j) >> 6) << 4)];
  for (let j = 0; j < 8; j++) {
    const [sc = 0, m = 0] = scaleMin(j);
    const values = Array.from({ length: 16 }, (_, v) => half(0) * sc * v - half(2) * m);
    const mean = values.reduce((a, b) => a + b, 0) / 16;
    const std = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / 16);
    t.ok(
      Math.abs(mean) < 1e-4 && Math.abs(std - 0.02) < 0.001,
      `sub-block ${j}: mean ${mean.toFixed(5)}, std ${std.toFixed(4)}`,
    );
  }
});

t.test('half floats are encoded exactly', async (t) => {
  t.equal(toHalfBits(1), 0x3c00);
  t.equal(toHalfBits(-2), 0xc000);
  t.equal(toHalfBits(0.0043384), 0x1c71);
  t.equal(toHalfBits(65536 * 2), 0x7c00, 'overflow is infinity');
});

t.test('a small variant copies the tokenizer byte-exact, is deterministic, and has the chat template', async (t) => {
  const a = makeBenchModel({ ...SMALL, from: ZEPHYR, out: path.join(dir, 'a.gguf'), seed: 3 });
  const b = makeBenchModel({ ...SMALL, from: ZEPHYR, out: path.join(dir, 'b.gguf'), seed: 3 });
  const c = makeBenchModel({ ...SMALL, from: ZEPHYR, out: path.join(dir, 'c.gguf'), seed: 4 });
  t.equal(sha(a.file), sha(b.file), 'same seed, same bytes');
  t.not(sha(a.file), sha(c.file), 'another seed, other weights');
  t.equal(a.bytes, fs.statSync(a.file).size);
  t.notOk(fs.existsSync(`${a.file}.tmp`));

  const source = readGgufHeader(ZEPHYR);
  const written = readGgufHeader(a.file);
  for (const entry of source.kv.filter((e) => e.key.startsWith('tokenizer.'))) {
    const copy = written.kv.find((e) => e.key === entry.key);
    t.ok(copy?.raw.equals(entry.raw), `${entry.key} copied byte-exact`);
  }
  t.equal(kvValue(a.file, 'llama.block_count'), 2);
  t.equal(kvValue(a.file, 'llama.attention.head_count_kv'), 2);
  t.equal(written.tensors.length, 2 + 2 * 9 + 1);
  t.equal(written.dataOffset % 32, 0, 'data is 32-byte aligned');
  t.ok(
    written.tensors.every((x) => x.offset % 32 === 0),
    'each tensor is 32-byte aligned',
  );

  const fromLlama2 = makeBenchModel({ ...SMALL, from: LLAMA2, out: path.join(dir, 'd.gguf') });
  t.equal(
    kvValue(fromLlama2.file, 'tokenizer.chat_template'),
    ZEPHYR_TEMPLATE,
    'the Zephyr template is added when missing',
  );
  t.equal(kvValue(ZEPHYR, 'tokenizer.chat_template'), ZEPHYR_TEMPLATE, 'and it is the very template TinyLlama ships');
});

// One llama.cpp binding for both loads, disposed (after the models) when the file ends. Not a
// top-level await: tap would close the root test while it waits, before these tests exist.
const llamaReady = getLlama({ gpu: false, build: 'never' });
t.teardown(async () => (await llamaReady).dispose());

for (const quant of ['q4_0', 'q4_k_m'] as const) {
  t.test(`node-llama-cpp loads a small ${quant} variant, generates tokens, activations stay finite`, async (t) => {
    const shape = quant === 'q4_0' ? SMALL : { ...SMALL, embd: 256, ff: 512 };
    const { file } = makeBenchModel({ ...shape, quant, from: ZEPHYR, out: path.join(dir, `load-${quant}.gguf`) });
    const llama = await llamaReady;
    const model = await llama.loadModel({ modelPath: file });
    t.teardown(() => model.dispose());
    t.equal(model.fileInfo.metadata.general.architecture, 'llama');
    t.equal(model.fileInsights.totalLayers, shape.layers + 1);
    t.equal(model.tokens.bos, 1);
    const context = await model.createContext({ contextSize: 256, threads: 1 });
    t.teardown(() => context.dispose());
    const prompt = model.tokenize('<|user|>\nWrite a short poem about the sea.</s>\n<|assistant|>\n', true);
    const out: number[] = [];
    for await (const token of context.getSequence().evaluate(prompt, { temperature: 0 })) {
      out.push(token);
      if (out.length === 8) break;
    }
    t.equal(out.length, 8, 'eight tokens decoded');
    t.ok(
      out.every((id) => Number.isInteger(id) && id >= 0 && id < 32000),
      'valid token ids',
    );

    // The last hidden state after all layers: finite and not degenerate means the weight scale is sane.
    const embedding = await model.createEmbeddingContext({ contextSize: 256, threads: 1 });
    t.teardown(() => embedding.dispose());
    const { vector } = await embedding.getEmbeddingFor('The sea is calm tonight.');
    t.ok(vector.length === shape.embd && vector.every(Number.isFinite), 'finite hidden state');
    t.ok(
      vector.some((v) => v !== 0),
      'not all zero',
    );
  });
}
