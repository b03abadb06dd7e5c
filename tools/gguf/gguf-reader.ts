import fs from 'node:fs';
import { alignUp, GGUF_DEFAULT_ALIGNMENT, GGUF_MAGIC, ValueType, VALUE_SIZE, type GgmlType } from './gguf-format.js';

export type GgufScalar = number | bigint | boolean | string;
export type GgufValue = GgufScalar | GgufScalar[];

/** One metadata entry: its decoded value and its exact encoded bytes (type tag + value). */
export interface GgufKv {
  key: string;
  type: ValueType;
  /** For arrays, the type of the items. */
  itemType?: ValueType;
  value: GgufValue;
  /** The value as stored (type tag included), so a copy is byte-exact. */
  raw: Buffer;
}

export interface GgufTensorInfo {
  name: string;
  dims: number[];
  type: GgmlType;
  /** Offset of the data from the start of the data section. */
  offset: number;
}

export interface GgufHeader {
  version: number;
  kv: GgufKv[];
  tensors: GgufTensorInfo[];
  alignment: number;
  /** Absolute file offset where tensor data starts. */
  dataOffset: number;
}

/** Reads a file in pieces as the parser asks, so a big model's header is read without its data. */
class Cursor {
  private buf = Buffer.alloc(0);
  private bufStart = 0;
  pos = 0;
  constructor(private readonly fd: number) {}

  private ensure(n: number): void {
    if (this.pos + n <= this.bufStart + this.buf.length) return;
    const size = Math.max(n, 1 << 20);
    const next = Buffer.alloc(size);
    const read = fs.readSync(this.fd, next, 0, size, this.pos);
    if (read < n) throw new Error(`Unexpected end of GGUF file at byte ${this.pos}`);
    this.buf = next.subarray(0, read);
    this.bufStart = this.pos;
  }

  take(n: number): Buffer {
    this.ensure(n);
    const at = this.pos - this.bufStart;
    this.pos += n;
    return this.buf.subarray(at, at + n);
  }

  u32(): number {
    return this.take(4).readUInt32LE(0);
  }

  u64(): number {
    const value = this.take(8).readBigUInt64LE(0);
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error('GGUF count too large');
    return Number(value);
  }

  string(): string {
    return this.take(this.u64()).toString('utf8');
  }
}

/** Parses the header of a GGUF v2/v3 file: metadata, tensor infos and where the data begins. */
export function readGgufHeader(file: string): GgufHeader {
  const fd = fs.openSync(file, 'r');
  try {
    const c = new Cursor(fd);
    if (c.u32() !== GGUF_MAGIC) throw new Error(`${file} is not a GGUF file`);
    const version = c.u32();
    if (version < 2 || version > 3) throw new Error(`${file}: unsupported GGUF version ${version}`);
    const tensorCount = c.u64();
    const kvCount = c.u64();
    const kv: GgufKv[] = [];
    for (let i = 0; i < kvCount; i++) kv.push(readKv(c));
    const tensors: GgufTensorInfo[] = [];
    for (let i = 0; i < tensorCount; i++) tensors.push(readTensorInfo(c));
    const alignEntry = kv.find((e) => e.key === 'general.alignment');
    const alignment = typeof alignEntry?.value === 'number' ? alignEntry.value : GGUF_DEFAULT_ALIGNMENT;
    return { version, kv, tensors, alignment, dataOffset: alignUp(c.pos, alignment) };
  } finally {
    fs.closeSync(fd);
  }
}

function readKv(c: Cursor): GgufKv {
  const key = c.string();
  const start = c.pos;
  const type = c.u32() as ValueType;
  if (type === ValueType.ARRAY) {
    const itemType = c.u32() as ValueType;
    const count = c.u64();
    const value: GgufScalar[] = [];
    for (let i = 0; i < count; i++) value.push(readScalar(c, itemType));
    return { key, type, itemType, value, raw: rawSince(c, start) };
  }
  const value = readScalar(c, type);
  return { key, type, value, raw: rawSince(c, start) };
}

/** Re-reads the bytes just parsed (the cursor's window may have moved, so copy through take). */
function rawSince(c: Cursor, start: number): Buffer {
  const end = c.pos;
  c.pos = start;
  const raw = Buffer.from(c.take(end - start));
  return raw;
}

function readScalar(c: Cursor, type: ValueType): GgufScalar {
  if (type === ValueType.STRING) return c.string();
  const size = VALUE_SIZE[type];
  if (size === undefined) throw new Error(`Unsupported GGUF value type ${type}`);
  const b = c.take(size);
  switch (type) {
    case ValueType.UINT8:
      return b.readUInt8(0);
    case ValueType.INT8:
      return b.readInt8(0);
    case ValueType.BOOL:
      return b.readUInt8(0) !== 0;
    case ValueType.UINT16:
      return b.readUInt16LE(0);
    case ValueType.INT16:
      return b.readInt16LE(0);
    case ValueType.UINT32:
      return b.readUInt32LE(0);
    case ValueType.INT32:
      return b.readInt32LE(0);
    case ValueType.FLOAT32:
      return b.readFloatLE(0);
    case ValueType.UINT64:
      return b.readBigUInt64LE(0);
    case ValueType.INT64:
      return b.readBigInt64LE(0);
    default:
      return b.readDoubleLE(0);
  }
}

function readTensorInfo(c: Cursor): GgufTensorInfo {
  const name = c.string();
  const nDims = c.u32();
  const dims: number[] = [];
  for (let i = 0; i < nDims; i++) dims.push(c.u64());
  const type = c.u32() as GgmlType;
  return { name, dims, type, offset: c.u64() };
}
