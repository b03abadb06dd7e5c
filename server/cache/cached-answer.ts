/** One complete answer as the response cache stores it. */
export interface CachedAnswer {
  text: string;
  usage: { promptTokens: number; completionTokens: number };
  /** Only complete answers are cached: stopped, errored or length-cut ones never are. */
  finishReason: 'stop';
  /** ISO time the answer was first generated. */
  createdAt: string;
  /** Timings of the original generation, for reference. */
  timings?: { ttftMs: number; totalMs: number; tokensPerSecond: number };
  /** How the original prompt was cut to fit the context. */
  context?: { includedMessages: number; droppedMessages: number };
}

/** Throws unless `value` is a complete answer fit for the cache. */
export function assertCacheable(value: unknown): asserts value is CachedAnswer {
  if (!isCachedAnswer(value)) {
    throw new TypeError('Only complete answers (finishReason "stop", text, usage, createdAt) can be cached.');
  }
}

export function isCachedAnswer(value: unknown): value is CachedAnswer {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<CachedAnswer>;
  return (
    v.finishReason === 'stop' &&
    typeof v.text === 'string' &&
    typeof v.createdAt === 'string' &&
    typeof v.usage === 'object' &&
    v.usage !== null &&
    Number.isFinite(v.usage.promptTokens) &&
    Number.isFinite(v.usage.completionTokens)
  );
}

/** Parses a stored entry; anything unreadable (another version, corruption) reads as a miss. */
export function parseCachedAnswer(raw: string): CachedAnswer | undefined {
  try {
    const value: unknown = JSON.parse(raw);
    return isCachedAnswer(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
