import { randomInt } from 'node:crypto';
import type { Config } from '../config.js';
import type { SamplingOptions } from './engine.js';
import type { ResolvedSampling } from './protocol.js';

/** More stop strings than this are ignored: each is checked against every streamed chunk. */
const MAX_STOP_STRINGS = 8;

/** Applies the defaults documented on SamplingOptions and keeps every value in a usable range. */
export function resolveSampling(options: SamplingOptions | undefined, config: Pick<Config, 'maxTokens'>): ResolvedSampling {
  return {
    temperature: Math.max(0, finite(options?.temperature) ?? 0.7),
    topP: clamp(finite(options?.topP) ?? 0.95, 0.01, 1),
    topK: Math.max(0, Math.round(finite(options?.topK) ?? 40)),
    maxTokens: answerBudget(options, config),
    seed: Math.abs(Math.round(finite(options?.seed) ?? randomInt(2 ** 31))) % 2 ** 32,
    repeatPenalty: Math.max(0.1, finite(options?.repeatPenalty) ?? 1.1),
    stop: (options?.stop ?? []).filter((stop) => typeof stop === 'string' && stop !== '').slice(0, MAX_STOP_STRINGS),
  };
}

/** Tokens reserved for the answer: min(request maxTokens, MAX_TOKENS), at least 1. */
export function answerBudget(options: SamplingOptions | undefined, config: Pick<Config, 'maxTokens'>): number {
  return clamp(Math.round(finite(options?.maxTokens) ?? config.maxTokens), 1, config.maxTokens);
}

const finite = (value: number | undefined): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;

const clamp = (value: number, min: number, max: number): number => Math.min(max, Math.max(min, value));
