import fs from 'node:fs';
import {
  alignUp,
  GGUF_DEFAULT_ALIGNMENT,
  GGUF_MAGIC,
  GGUF_VERSION,
  tensorBytes,
  ValueType,
  type GgmlType,
} from './gguf-format.js';
import type { GgufKv } from './gguf-reader.js';

/** A metadata entry to write: either copied byte-exact from a reader (raw) or a typed value. */
export type KvEntry =
  Pick<GgufKv, 'key' | 'raw'> | { key: string; type: ValueType; value: number | bigint | boolean | string };

/** A tensor to write. `write` must emit exactly tensorBytes(type, dims) bytes, in order. */
export interface TensorSource {
  name: string;
  /** ggml order: dims[0] is the row length (the fastest-varying dimension). */
  dims: number[];
  type: GgmlType;
  write(emit: (chunk: Uint8Array) => void): void;
}

class ByteWriter {
  private readonly parts: Buffer[] = [];
  length = 0;
  push(b: Buffer): void {
    this.parts.push(b);
    this.length += b.length;
  }
  u32(n: number): void {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(n);
    this.push(b);
  }
  u64(n: number | bigint): void {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(n));
    this.push(b);
  }
  string(s: string): void {
    const bytes = Buffer.from(s, 'utf8');
    this.u64(bytes.length);
    this.push(bytes);
  }
  toBuffer(): Buffer {
    return Buffer.concat(this.parts, this.length);
  }
}

function encodeValue(w: ByteWriter, type: ValueType, value: number | bigint | boolean | string): void {
  const b = Buffer.alloc(8);
  switch (type) {
    case ValueType.STRING:
      return w.string(String(value));
    case ValueType.UINT32:
      b.writeUInt32LE(Number(value));
      return w.push(b.subarray(0, 4));
    case ValueType.INT32:
      b.writeInt32LE(Number(value));
      return w.push(b.subarray(0, 4));
    case ValueType.FLOAT32:
      b.writeFloatLE(Number(value));
      return w.push(b.subarray(0, 4));
    case ValueType.BOOL:
      b.writeUInt8(value ? 1 : 0);
      return w.push(b.subarray(0, 1));
    case ValueType.UINT64:
      b.writeBigUInt64LE(BigInt(value));
      return w.push(b);
    case ValueType.FLOAT64:
      b.writeDoubleLE(Number(value));
      return w.push(b);
    default:
      throw new Error(`Writing GGUF value type ${type} is not supported`);
  }
}

/** Header bytes (magic … tensor infos) plus the data offset of each tensor. */
export function encodeHeader(
  kv: KvEntry[],
  tensors: TensorSource[],
  alignment = GGUF_DEFAULT_ALIGNMENT,
): { header: Buffer; offsets: number[]; dataBytes: number } {
  const w = new ByteWriter();
  w.u32(GGUF_MAGIC);
  w.u32(GGUF_VERSION);
  w.u64(tensors.length);
  w.u64(kv.length);
  for (const entry of kv) {
    w.string(entry.key);
    if ('raw' in entry) {
      w.push(entry.raw);
    } else {
      w.u32(entry.type);
      encodeValue(w, entry.type, entry.value);
    }
  }
  const offsets: number[] = [];
  let offset = 0;
  for (const t of tensors) {
    w.string(t.name);
    w.u32(t.dims.length);
    for (const d of t.dims) w.u64(d);
    w.u32(t.type);
    w.u64(offset);
    offsets.push(offset);
    offset = alignUp(offset + tensorBytes(t.type, t.dims), alignment);
  }
  const header = w.toBuffer();
  return { header, offsets, dataBytes: offset };
}

/**
 * Writes a GGUF v3 file: header, padding to the alignment, then each tensor's data as its
 * source emits it (large chunks straight to the file descriptor, so nothing is held in memory).
 * The file appears under its name only when complete (written to `<file>.tmp`, then renamed).
 */
export function writeGguf(
  file: string,
  kv: KvEntry[],
  tensors: TensorSource[],
  alignment = GGUF_DEFAULT_ALIGNMENT,
): number {
  const { header, offsets } = encodeHeader(kv, tensors, alignment);
  const tmp = `${file}.tmp`;
  const fd = fs.openSync(tmp, 'w');
  let position = 0;
  const put = (chunk: Uint8Array) => {
    let done = 0;
    while (done < chunk.length) done += fs.writeSync(fd, chunk, done, chunk.length - done);
    position += chunk.length;
  };
  try {
    put(header);
    const dataStart = alignUp(position, alignment);
    put(new Uint8Array(dataStart - position));
    tensors.forEach((t, i) => {
      put(new Uint8Array(dataStart + (offsets[i] ?? 0) - position));
      const before = position;
      t.write(put);
      const expected = tensorBytes(t.type, t.dims);
      if (position - before !== expected) {
        throw new Error(`Tensor ${t.name} wrote ${position - before} bytes, expected ${expected}`);
      }
    });
  } catch (error) {
    fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw error;
  }
  fs.closeSync(fd);
  fs.renameSync(tmp, file);
  return position;
}
