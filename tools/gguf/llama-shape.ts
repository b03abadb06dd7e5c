import { GgmlType, ValueType } from './gguf-format.js';
import type { GgufKv } from './gguf-reader.js';
import type { KvEntry, TensorSource } from './gguf-writer.js';
import { constantF32, randomQuantized } from './random-weights.js';

/** The hyper-parameters of a llama-architecture model. */
export interface LlamaShape {
  /** Transformer blocks. TinyLlama-1.1B: 22. */
  layers: number;
  /** Embedding width. TinyLlama-1.1B: 2048. */
  embd: number;
  /** Feed-forward width. TinyLlama-1.1B: 5632. */
  ff: number;
  /** Attention heads. TinyLlama-1.1B: 32. */
  heads: number;
  /** Key/value heads (grouped-query attention). TinyLlama-1.1B: 4. */
  kvHeads: number;
  /** Trained context length. TinyLlama-1.1B: 2048. */
  ctx: number;
  /** RMS norm epsilon. TinyLlama-1.1B: 1e-5. */
  rmsEps: number;
  /** RoPE base frequency. TinyLlama-1.1B: 10000. */
  ropeBase: number;
}

/**
 * Weight formats: 'q4_0' everywhere, or the mix llama.cpp's quantizer writes for Q4_K_M (the
 * format of the real TinyLlama file): Q4_K, with Q6_K for output.weight and for attn_v and
 * ffn_down in the layers `use_more_bits` picks.
 */
export type Quant = 'q4_0' | 'q4_k_m';

/** general.file_type values (llama.h LLAMA_FTYPE_MOSTLY_*). */
const FILE_TYPE: Record<Quant, number> = { q4_0: 2, q4_k_m: 15 };

/** llama.cpp's use_more_bits: the first and last eighth of the layers, and every third between. */
export function useMoreBits(layer: number, layers: number): boolean {
  const eighth = Math.floor(layers / 8);
  return layer < eighth || layer >= Math.floor((7 * layers) / 8) || (layer - eighth) % 3 === 2;
}

export const TINYLLAMA_SHAPE: LlamaShape = {
  layers: 22,
  embd: 2048,
  ff: 5632,
  heads: 32,
  kvHeads: 4,
  ctx: 2048,
  rmsEps: 1e-5,
  ropeBase: 10000,
};

/** TinyLlama-1.1B-Chat v1.0's own chat template (Zephyr style), added when the source has none. */
export const ZEPHYR_TEMPLATE =
  "{% for message in messages %}\n{% if message['role'] == 'user' %}\n{{ '<|user|>\n' + message['content'] + eos_token }}\n" +
  "{% elif message['role'] == 'system' %}\n{{ '<|system|>\n' + message['content'] + eos_token }}\n" +
  "{% elif message['role'] == 'assistant' %}\n{{ '<|assistant|>\n'  + message['content'] + eos_token }}\n{% endif %}\n" +
  "{% if loop.last and add_generation_prompt %}\n{{ '<|assistant|>' }}\n{% endif %}\n{% endfor %}";

export function checkShape(s: LlamaShape, quant: Quant = 'q4_0'): void {
  const problems: string[] = [];
  const block = quant === 'q4_0' ? 32 : 256;
  if (s.embd % block !== 0 || s.ff % block !== 0)
    problems.push(`embd and ff must be multiples of ${block} (the ${quant} block)`);
  if (s.embd % s.heads !== 0) problems.push('embd must be a multiple of heads');
  if (s.heads % s.kvHeads !== 0) problems.push('heads must be a multiple of kv-heads');
  if (s.layers < 1) problems.push('layers must be at least 1');
  if (problems.length) throw new Error(`Bad model shape: ${problems.join('; ')}`);
}

/** Metadata: llama hyper-parameters, then every tokenizer.* entry of the source copied byte-exact. */
export function llamaMetadata(
  shape: LlamaShape,
  name: string,
  tokenizer: GgufKv[],
  vocab: number,
  quant: Quant = 'q4_0',
): KvEntry[] {
  const u32 = (key: string, value: number): KvEntry => ({ key, type: ValueType.UINT32, value });
  const f32 = (key: string, value: number): KvEntry => ({ key, type: ValueType.FLOAT32, value });
  const kv: KvEntry[] = [
    { key: 'general.architecture', type: ValueType.STRING, value: 'llama' },
    { key: 'general.name', type: ValueType.STRING, value: name },
    u32('general.file_type', FILE_TYPE[quant]),
    u32('general.quantization_version', 2),
    u32('llama.vocab_size', vocab),
    u32('llama.context_length', shape.ctx),
    u32('llama.embedding_length', shape.embd),
    u32('llama.block_count', shape.layers),
    u32('llama.feed_forward_length', shape.ff),
    u32('llama.rope.dimension_count', shape.embd / shape.heads),
    u32('llama.attention.head_count', shape.heads),
    u32('llama.attention.head_count_kv', shape.kvHeads),
    f32('llama.attention.layer_norm_rms_epsilon', shape.rmsEps),
    f32('llama.rope.freq_base', shape.ropeBase),
    ...tokenizer,
  ];
  if (!tokenizer.some((e) => e.key === 'tokenizer.chat_template')) {
    kv.push({ key: 'tokenizer.chat_template', type: ValueType.STRING, value: ZEPHYR_TEMPLATE });
  }
  return kv;
}

/**
 * The tensors of a llama model, named and laid out as llama.cpp expects, with quantized
 * matrices of standard deviation `std` (0.02, as at initialisation: after each RMS norm a
 * product then has a standard deviation near 1, so activations stay finite through all
 * layers) and F32 norm weights of 1.
 */
export function llamaTensors(
  s: LlamaShape,
  vocab: number,
  seed: number,
  std = 0.02,
  quant: Quant = 'q4_0',
): TensorSource[] {
  const kvDim = (s.embd / s.heads) * s.kvHeads;
  const base = quant === 'q4_0' ? GgmlType.Q4_0 : GgmlType.Q4_K;
  const more = quant === 'q4_0' ? GgmlType.Q4_0 : GgmlType.Q6_K;
  const mat = (name: string, cols: number, rows: number, type: GgmlType = base) =>
    randomQuantized(name, [cols, rows], type, std, seed);
  const tensors: TensorSource[] = [mat('token_embd.weight', s.embd, vocab)];
  for (let i = 0; i < s.layers; i++) {
    const p = `blk.${i}.`;
    const layerMore = useMoreBits(i, s.layers) ? more : base;
    tensors.push(
      constantF32(`${p}attn_norm.weight`, [s.embd], 1),
      mat(`${p}attn_q.weight`, s.embd, s.embd),
      mat(`${p}attn_k.weight`, s.embd, kvDim),
      mat(`${p}attn_v.weight`, s.embd, kvDim, layerMore),
      mat(`${p}attn_output.weight`, s.embd, s.embd),
      constantF32(`${p}ffn_norm.weight`, [s.embd], 1),
      mat(`${p}ffn_gate.weight`, s.embd, s.ff),
      mat(`${p}ffn_up.weight`, s.embd, s.ff),
      mat(`${p}ffn_down.weight`, s.ff, s.embd, layerMore),
    );
  }
  tensors.push(constantF32('output_norm.weight', [s.embd], 1), mat('output.weight', s.embd, vocab, more));
  return tensors;
}

/** Parameter count of the shape (what llama.cpp reports as n_params). */
export function parameterCount(tensors: TensorSource[]): number {
  return tensors.reduce((sum, t) => sum + t.dims.reduce((a, b) => a * b, 1), 0);
}
