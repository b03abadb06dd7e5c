/**
 * `npm run bench:model` — writes a GGUF with TinyLlama-1.1B's exact shape (llama, 22 layers,
 * embedding 2048, feed-forward 5632, 32 heads, 4 KV heads, context 2048, vocabulary 32000) and
 * deterministic pseudo-random 4-bit weights (Q4_0, or Q4_K_M's mix), so benchmarks pay TinyLlama's decode cost without
 * a download. The tokenizer (and chat template) is copied from a small GGUF; TinyLlama's
 * Zephyr template is added if that file has none.
 *
 *   npm run bench:model                                   # Q4_0, ~620 MB, a few seconds
 *   npm run bench:model -- --quant q4_k_m                 # the real file's Q4_K/Q6_K mix, ~668 MB
 *   npm run bench:model -- --from x.gguf --out y.gguf --seed 7
 *   npm run bench:model -- --layers 2 --embd 64 --ff 128 --heads 4 --kv-heads 2   # a tiny variant
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { readGgufHeader } from './gguf-reader.js';
import { writeGguf } from './gguf-writer.js';
import {
  checkShape,
  llamaMetadata,
  llamaTensors,
  parameterCount,
  TINYLLAMA_SHAPE,
  type LlamaShape,
  type Quant,
} from './llama-shape.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

export interface BenchModelOptions extends Partial<LlamaShape> {
  /** GGUF whose tokenizer.* metadata is copied. Defaults to test/fixtures/models/tiny-random-zephyr.gguf. */
  from?: string;
  /** Weight format: 'q4_0', or 'q4_k_m' (the real TinyLlama file's Q4_K/Q6_K mix). Defaults to 'q4_0'. */
  quant?: Quant;
  /** Output file. Defaults to bench-results/tinyllama-shape-<quant>.gguf. */
  out?: string;
  /** PRNG seed of the weights. Defaults to 1. */
  seed?: number;
  /** Standard deviation of the weights. Defaults to 0.02. */
  std?: number;
}

export interface BenchModelResult {
  file: string;
  bytes: number;
  parameters: number;
  vocab: number;
  shape: LlamaShape;
  quant: Quant;
  seconds: number;
}

export const DEFAULT_FROM = path.resolve(ROOT, 'test/fixtures/models/tiny-random-zephyr.gguf');
/** Where the model goes by default: bench-results/ is git-ignored. */
export function defaultOut(quant: Quant = 'q4_0'): string {
  return path.join(ROOT, 'bench-results', `tinyllama-shape-${quant}.gguf`);
}

/** Builds the model file; returns what it wrote. */
export function makeBenchModel(options: BenchModelOptions = {}): BenchModelResult {
  const started = Date.now();
  const shape: LlamaShape = { ...TINYLLAMA_SHAPE };
  for (const key of Object.keys(TINYLLAMA_SHAPE) as (keyof LlamaShape)[]) {
    if (options[key] !== undefined) shape[key] = options[key];
  }
  const quant = options.quant ?? 'q4_0';
  if (quant !== 'q4_0' && quant !== 'q4_k_m') throw new Error(`Unknown --quant ${String(quant)}: use q4_0 or q4_k_m`);
  checkShape(shape, quant);
  const from = options.from ?? DEFAULT_FROM;
  const out = options.out ?? defaultOut(quant);
  const source = readGgufHeader(from);
  const tokenizer = source.kv.filter((e) => e.key.startsWith('tokenizer.'));
  const tokens = tokenizer.find((e) => e.key === 'tokenizer.ggml.tokens');
  if (!tokens || !Array.isArray(tokens.value)) throw new Error(`${from} has no tokenizer.ggml.tokens`);
  const vocab = tokens.value.length;

  const isFull = Object.keys(TINYLLAMA_SHAPE).every(
    (k) => shape[k as keyof LlamaShape] === TINYLLAMA_SHAPE[k as keyof LlamaShape],
  );
  const label = quant.toUpperCase();
  const name = isFull
    ? `TinyLlama-1.1B shape, random ${label}`
    : `llama ${shape.layers}x${shape.embd} shape, random ${label}`;
  const tensors = llamaTensors(shape, vocab, options.seed ?? 1, options.std, quant);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const bytes = writeGguf(out, llamaMetadata(shape, name, tokenizer, vocab, quant), tensors);
  return {
    file: out,
    bytes,
    parameters: parameterCount(tensors),
    vocab,
    shape,
    quant,
    seconds: (Date.now() - started) / 1000,
  };
}

function cli(): void {
  const int = { type: 'string' } as const;
  const { values } = parseArgs({
    options: {
      from: { type: 'string' },
      out: { type: 'string' },
      quant: { type: 'string' },
      seed: int,
      std: int,
      layers: int,
      embd: int,
      ff: int,
      heads: int,
      'kv-heads': int,
      ctx: int,
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(
      'Usage: make-bench-model [--from GGUF] [--out FILE] [--quant q4_0|q4_k_m] [--seed N] [--std X] [--layers N] [--embd N] [--ff N] [--heads N] [--kv-heads N] [--ctx N]',
    );
    return;
  }
  const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
  const result = makeBenchModel({
    from: values.from && path.resolve(values.from),
    out: values.out && path.resolve(values.out),
    quant: values.quant as Quant | undefined,
    seed: num(values.seed),
    std: num(values.std),
    layers: num(values.layers),
    embd: num(values.embd),
    ff: num(values.ff),
    heads: num(values.heads),
    kvHeads: num(values['kv-heads']),
    ctx: num(values.ctx),
  });
  const { shape } = result;
  console.log(
    `Wrote ${result.file}\n  ${(result.bytes / 1e6).toFixed(1)} MB, ${(result.parameters / 1e9).toFixed(3)} B parameters, ` +
      `${shape.layers} layers, embd ${shape.embd}, ff ${shape.ff}, heads ${shape.heads}/${shape.kvHeads}, ` +
      `ctx ${shape.ctx}, vocab ${result.vocab}, ${result.quant.toUpperCase()}, in ${result.seconds.toFixed(1)} s`,
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) cli();
