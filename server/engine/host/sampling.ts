/**
 * The sampling defaults, and the two steps that apply them, in one module. It runs on the main
 * thread: the chat service resolves a request's options (resolveSampling, through engine.ts) so
 * the cache key is made from exactly what the model samples with, and the engine makes them
 * safe to send to the worker (workerSampling), which receives every value set.
 */
import { randomInt } from 'node:crypto';
import type { Config } from '../../config.js';
import type { SamplingOptions } from '../engine.js';
import type { ResolvedSampling } from '../protocol.js';

/** The values SamplingOptions documents as its defaults (maxTokens defaults to config.maxTokens). */
export const SAMPLING_DEFAULTS = { temperature: 0.7, topP: 0.95, topK: 40, repeatPenalty: 1.1 } as const;

/** More stop strings than this are ignored: each is checked against every streamed chunk. */
const MAX_STOP_STRINGS = 8;

/** The sampling options a client may choose; the repeat penalty is the portal's own. */
export type ClientSampling = Omit<SamplingOptions, 'repeatPenalty'>;

/**
 * The options a request samples with, every default written in, so that an omitted option and
 * its explicit default make one cache key.
 */
export function resolveSampling(
  options: ClientSampling | undefined,
  config: Pick<Config, 'maxTokens'>,
): SamplingOptions {
  return {
    temperature: options?.temperature ?? SAMPLING_DEFAULTS.temperature,
    topP: options?.topP ?? SAMPLING_DEFAULTS.topP,
    topK: options?.topK ?? SAMPLING_DEFAULTS.topK,
    maxTokens: Math.min(options?.maxTokens ?? config.maxTokens, config.maxTokens),
    repeatPenalty: SAMPLING_DEFAULTS.repeatPenalty,
    ...(options?.seed === undefined ? {} : { seed: options.seed }),
    ...(options?.stop?.length ? { stop: options.stop } : {}),
    ...(options?.grammar === undefined ? {} : { grammar: options.grammar }),
  };
}

/** What the worker samples with: the defaults applied, every value in a usable range, a seed picked. */
export function workerSampling(
  options: SamplingOptions | undefined,
  config: Pick<Config, 'maxTokens'>,
): ResolvedSampling {
  return {
    temperature: Math.max(0, finite(options?.temperature) ?? SAMPLING_DEFAULTS.temperature),
    topP: clamp(finite(options?.topP) ?? SAMPLING_DEFAULTS.topP, 0.01, 1),
    topK: Math.max(0, Math.round(finite(options?.topK) ?? SAMPLING_DEFAULTS.topK)),
    maxTokens: answerBudget(options, config),
    seed: Math.abs(Math.round(finite(options?.seed) ?? randomInt(2 ** 31))) % 2 ** 32,
    repeatPenalty: Math.max(0.1, finite(options?.repeatPenalty) ?? SAMPLING_DEFAULTS.repeatPenalty),
    stop: (options?.stop ?? []).filter((stop) => typeof stop === 'string' && stop !== '').slice(0, MAX_STOP_STRINGS),
    grammar: options?.grammar ?? null,
  };
}

/** Tokens reserved for the answer: min(request maxTokens, MAX_TOKENS), at least 1. */
export function answerBudget(options: SamplingOptions | undefined, config: Pick<Config, 'maxTokens'>): number {
  return clamp(Math.round(finite(options?.maxTokens) ?? config.maxTokens), 1, config.maxTokens);
}

const finite = (value: number | undefined): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;

const clamp = (value: number, min: number, max: number): number => Math.min(max, Math.max(min, value));
