import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';

const SAMPLE_BYTES = 1024 * 1024;

/**
 * Identifies a model file by content, cheaply: sha256 of its size, first and last MiB. The GGUF
 * header (metadata, tensor layout) and the tail of the weights differ between any two models
 * worth telling apart, and the path and mtime are left out so a copied or moved file keeps its
 * cache entries.
 */
export async function modelFingerprint(file: string): Promise<string> {
  const handle = await fs.open(file, 'r');
  try {
    const { size } = await handle.stat();
    const hash = createHash('sha256').update(`size:${size}\n`);
    hash.update(await readAt(handle, 0, Math.min(SAMPLE_BYTES, size)));
    if (size > SAMPLE_BYTES) {
      const start = Math.max(SAMPLE_BYTES, size - SAMPLE_BYTES);
      hash.update(await readAt(handle, start, size - start));
    }
    return hash.digest('hex');
  } finally {
    await handle.close();
  }
}

async function readAt(handle: fs.FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
}
