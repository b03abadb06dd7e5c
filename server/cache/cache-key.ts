import { createHash } from 'node:crypto';
import type { SamplingOptions } from '../engine/engine.js';

/** The sampling options that change what the model writes; anything else (noCache…) is ignored. */
const OUTPUT_OPTIONS = [
  'temperature',
  'topP',
  'topK',
  'maxTokens',
  'seed',
  'repeatPenalty',
  'stop',
  'grammar',
] as const;

export interface CacheKeyInput {
  /** ModelInfo.fingerprint of the loaded model file. */
  modelFingerprint: string;
  /** The exact prompt text the engine would evaluate (PromptPlan.prompt). */
  prompt: string;
  /**
   * Sampling options. Pass them with the engine's defaults already applied, so that an
   * omitted option and its explicit default share one key.
   */
  options?: SamplingOptions;
}

/**
 * The cache key of one answer: sha256 (hex) of a canonical JSON of the model fingerprint,
 * the output-affecting sampling options (keys sorted, undefined dropped) and the prompt.
 */
export function cacheKey({ modelFingerprint, prompt, options = {} }: CacheKeyInput): string {
  const canonical = JSON.stringify({
    v: 1,
    model: modelFingerprint,
    options: canonicalOptions(options),
    prompt,
  });
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

function canonicalOptions(options: SamplingOptions): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  for (const name of [...OUTPUT_OPTIONS].sort()) {
    const value = options[name];
    if (value === undefined) continue;
    // Stop strings act as a set: their order cannot change the answer.
    picked[name] = Array.isArray(value) ? [...value].sort() : value;
  }
  return picked;
}
