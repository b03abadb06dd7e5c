import path from 'node:path';

/** The small real GGUF models kept in the repository for tests (see its README). */
export const TEST_MODELS = path.resolve(import.meta.dirname, '../fixtures/models');
/** The tiny model with TinyLlama's Zephyr chat template. */
export const TINY_ZEPHYR = path.join(TEST_MODELS, 'tiny-random-zephyr.gguf');
/** The same model without a chat template. */
export const TINY_LLAMA = path.join(TEST_MODELS, 'llama-2-tiny-random.gguf');
