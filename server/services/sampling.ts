import type { Config } from '../config.js';
import type { SamplingOptions } from '../engine/engine.js';
import type { ChatOptions } from '../../shared/contract/chat-frames.js';

/** Options a client may send with a chat frame (API.md), before defaults. */
export type ClientOptions = ChatOptions;

/**
 * Applies the defaults in one place, so the engine samples with exactly the options the
 * cache key was made from (an omitted option and its explicit default share one key).
 */
export function resolveSampling(options: ClientOptions | undefined, config: Config): SamplingOptions {
  return {
    temperature: options?.temperature ?? 0.7,
    topP: options?.topP ?? 0.95,
    topK: options?.topK ?? 40,
    maxTokens: Math.min(options?.maxTokens ?? config.maxTokens, config.maxTokens),
    repeatPenalty: 1.1,
    ...(options?.seed === undefined ? {} : { seed: options.seed }),
    ...(options?.stop?.length ? { stop: options.stop } : {}),
  };
}
