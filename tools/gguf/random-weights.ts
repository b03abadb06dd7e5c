import { GgmlType, blockInfo, tensorBytes } from './gguf-format.js';
import type { TensorSource } from './gguf-writer.js';

/** Bytes generated per write: large, so 600 MB go out in a few dozen system calls. */
const CHUNK_BYTES = 32 << 20;

/** A fast seeded PRNG (xorshift32). Each tensor gets its own stream, seeded from its name. */
export function xorshift32(seed: number): () => number {
  let s = seed >>> 0 || 0x9e3779b9;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return s >>> 0;
  };
}

/** FNV-1a of a string mixed with the run's seed, so each tensor's weights depend on both. */
export function tensorSeed(name: string, seed: number): number {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** IEEE half-precision bits of a float (round to nearest; normal and subnormal range). */
export function toHalfBits(value: number): number {
  f32[0] = value;
  const x = u32[0] ?? 0;
  const sign = (x >>> 16) & 0x8000;
  const exp = ((x >>> 23) & 0xff) - 127 + 15;
  const mant = x & 0x7fffff;
  if (exp >= 31) return sign | 0x7c00;
  if (exp <= 0) {
    if (exp < -10) return sign;
    const m = (mant | 0x800000) >>> (1 - exp);
    return sign | ((m + 0x1000) >>> 13);
  }
  return sign | ((exp << 10) + ((mant + 0x1000) >>> 13));
}

/**
 * How a random block of one quantized type is laid out: a template holding the constant bytes
 * (scales chosen so the weights have the requested standard deviation and a mean near zero)
 * and the byte ranges that get random quants.
 */
interface BlockRecipe {
  template: Uint8Array;
  random: [start: number, end: number][];
}

function putHalf(block: Uint8Array, at: number, value: number): void {
  const bits = toHalfBits(value);
  block[at] = bits & 0xff;
  block[at + 1] = bits >>> 8;
}

/** Uniform 4-bit quants q in 0..15 have a standard deviation of 4.61; 6-bit ones (0..63) 18.47. */
const STD_U4 = 4.61;
const STD_U6 = 18.47;

/** The block layouts of ggml-common.h, filled so that the dequantized weights have std `std`. */
export function blockRecipe(type: GgmlType, std: number): BlockRecipe {
  const block = new Uint8Array(blockInfo(type).bytes);
  switch (type) {
    case GgmlType.Q4_0: {
      // { half d; u8 qs[16] }: w = d * (q - 8)
      putHalf(block, 0, std / STD_U4);
      return { template: block, random: [[2, 18]] };
    }
    case GgmlType.Q4_K: {
      // { half d; half dmin; u8 scales[12]; u8 qs[128] }: w = d * sc * q - dmin * m per 32 values.
      // All eight 6-bit scales sc = 8 and mins m = 15 (packed as get_scale_min_k4 reads them);
      // dmin * m = d * sc * 7.5 centres the 0..15 quants on zero.
      const sc = 8;
      const m = 15;
      const d = std / STD_U4 / sc;
      putHalf(block, 0, d);
      putHalf(block, 2, (d * sc * 7.5) / m);
      for (let j = 0; j < 4; j++) {
        block[4 + j] = sc;
        block[8 + j] = m;
        block[12 + j] = sc | (m << 4);
      }
      return { template: block, random: [[16, 144]] };
    }
    case GgmlType.Q6_K: {
      // { u8 ql[128]; u8 qh[64]; i8 scales[16]; half d }: w = d * scale * (q - 32)
      const scale = 16;
      block.fill(scale, 192, 208);
      putHalf(block, 208, std / STD_U6 / scale);
      return { template: block, random: [[0, 192]] };
    }
    default:
      throw new Error(`No random block recipe for ggml type ${type}`);
  }
}

/**
 * A quantized tensor of deterministic pseudo-random weights with standard deviation `std`,
 * generated in large chunks: the constant bytes are laid once per chunk buffer, then only
 * the quant bytes are drawn from the tensor's PRNG stream.
 */
export function randomQuantized(name: string, dims: number[], type: GgmlType, std: number, seed: number): TensorSource {
  const { template, random } = blockRecipe(type, std);
  const blockBytes = template.length;
  return {
    name,
    dims,
    type,
    write(emit) {
      const next = xorshift32(tensorSeed(name, seed));
      let blocksLeft = tensorBytes(type, dims) / blockBytes;
      const chunkBlocks = Math.max(1, Math.floor(CHUNK_BYTES / blockBytes));
      const buf = new Uint8Array(Math.min(blocksLeft, chunkBlocks) * blockBytes);
      for (let o = 0; o < buf.length; o += blockBytes) buf.set(template, o);
      while (blocksLeft > 0) {
        const n = Math.min(blocksLeft, chunkBlocks);
        for (let o = 0; o < n * blockBytes; o += blockBytes) {
          for (const [from, to] of random) {
            for (let j = o + from; j < o + to; j += 4) {
              const r = next();
              buf[j] = r;
              buf[j + 1] = r >>> 8;
              buf[j + 2] = r >>> 16;
              buf[j + 3] = r >>> 24;
            }
          }
        }
        emit(buf.subarray(0, n * blockBytes));
        blocksLeft -= n;
      }
    },
  };
}

/** An F32 tensor with every value equal (norm weights of 1 keep activations at unit scale). */
export function constantF32(name: string, dims: number[], value: number): TensorSource {
  return {
    name,
    dims,
    type: GgmlType.F32,
    write(emit) {
      const data = new Float32Array(tensorBytes(GgmlType.F32, dims) / 4).fill(value);
      emit(new Uint8Array(data.buffer));
    },
  };
}
