import type { FastifyBaseLogger } from 'fastify';
import { cacheKey } from '../cache/cache-key.js';
import type { CachedAnswer, ResponseCache } from '../cache/response-cache.js';
import type { ChatTurn, Engine, PromptPlan, SamplingOptions } from '../engine/engine.js';
import type { Done } from './answer-events.js';

/** What the cache said about a prompt: its key (none: not cacheable) and the hit. */
export interface Lookup {
  key: string | undefined;
  /** A hit: its text and the done it reports (timed from planning to the hit), stored and sent alike. */
  hit: { text: string; done: Done } | undefined;
}

/**
 * Plans the messages and looks the exact prompt up in the response cache, keyed by the model
 * file, the resolved sampling and the prompt: the chat socket and the API share answers.
 */
export async function lookUpAnswer(
  { engine, cache }: { engine: Engine; cache: ResponseCache },
  messages: ChatTurn[],
  sampling: SamplingOptions,
  noCache: boolean,
): Promise<Lookup & { plan: PromptPlan }> {
  const started = performance.now();
  const plan = await engine.plan(messages, sampling);
  const fingerprint = engine.model().fingerprint;
  const key =
    !noCache && fingerprint
      ? cacheKey({ modelFingerprint: fingerprint, prompt: plan.prompt, options: sampling })
      : undefined;
  const hit = key ? await cache.get(key) : undefined;
  return { plan, key, hit: hit && { text: hit.text, done: cachedDone(hit, plan, performance.now() - started) } };
}

/** Stores a model's answer that ended by itself; a cache failure only costs the next hit. */
export function storeAnswer(
  { cache, log }: { cache: ResponseCache; log: FastifyBaseLogger },
  key: string | undefined,
  text: string,
  done: Done,
): void {
  if (key === undefined || done.finishReason !== 'stop') return;
  const entry: CachedAnswer = {
    text,
    usage: done.usage,
    finishReason: 'stop',
    createdAt: new Date().toISOString(),
    timings: done.timings,
    context: done.context,
  };
  void cache.set(key, entry).catch((error: unknown) => log.warn({ err: error }, 'could not cache an answer'));
}

/** What a cache hit reports: the cached answer's usage, timed from planning to the hit. */
function cachedDone(hit: CachedAnswer, plan: PromptPlan, totalMs: number): Done {
  return {
    type: 'done',
    finishReason: 'stop',
    usage: hit.usage,
    timings: {
      queueMs: 0,
      ttftMs: totalMs,
      totalMs,
      tokensPerSecond: totalMs > 0 ? (hit.usage.completionTokens * 1000) / totalMs : 0,
    },
    context: { includedMessages: plan.includedMessages, droppedMessages: plan.droppedMessages },
  };
}
