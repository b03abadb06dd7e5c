/** Main thread: counters and recent-window percentiles of finished generations. */

/** Requests the percentiles look back over. */
const WINDOW = 200;

export interface StatsSnapshot {
  requests: number;
  tokensGenerated: number;
  promptTokensEvaluated: number;
  promptTokensCached: number;
  failures: number;
  ttftMs: { p50: number | null; p95: number | null };
  tokensPerSecond: { p50: number | null; p95: number | null };
  /** Mean time a request held a sequence, over the window; null until one finished. */
  serviceTimeMs: number | null;
}

export class InferenceStats {
  private requests = 0;
  private tokensGenerated = 0;
  private promptTokensEvaluated = 0;
  private promptTokensCached = 0;
  private failures = 0;
  private readonly ttft = new Window(WINDOW);
  private readonly speed = new Window(WINDOW);
  private readonly service = new Window(WINDOW);

  /** A request reached a sequence. */
  started(): void {
    this.requests++;
  }

  failed(): void {
    this.failures++;
  }

  /**
   * Text of an answer arrived: counted as it is generated, so throughput sampled mid-answer is
   * not 0 followed by a spike when it ends. `finished` tops it up to the exact count.
   */
  generated(tokens = 1): void {
    this.tokensGenerated += tokens;
  }

  finished(done: {
    completionTokens: number;
    /** Tokens already counted by `generated` while the answer streamed. */
    streamedTokens: number;
    promptTokens: number;
    cachedPromptTokens: number;
    ttftMs: number | null;
    tokensPerSecond: number | null;
    serviceMs: number;
  }): void {
    this.tokensGenerated += Math.max(0, done.completionTokens - done.streamedTokens);
    this.promptTokensEvaluated += done.promptTokens - done.cachedPromptTokens;
    this.promptTokensCached += done.cachedPromptTokens;
    if (done.ttftMs !== null) this.ttft.add(done.ttftMs);
    if (done.tokensPerSecond !== null) this.speed.add(done.tokensPerSecond);
    this.service.add(done.serviceMs);
  }

  /** Mean slot holding time over the window, for queue ETAs; undefined until measured. */
  serviceTimeMs(): number | undefined {
    return this.service.mean() ?? undefined;
  }

  snapshot(): StatsSnapshot {
    return {
      requests: this.requests,
      tokensGenerated: this.tokensGenerated,
      promptTokensEvaluated: this.promptTokensEvaluated,
      promptTokensCached: this.promptTokensCached,
      failures: this.failures,
      ttftMs: this.ttft.percentiles(),
      tokensPerSecond: this.speed.percentiles(),
      serviceTimeMs: this.service.mean(),
    };
  }
}

/** The last `size` values, in a ring. */
class Window {
  private readonly values: number[] = [];
  private next = 0;

  constructor(private readonly size: number) {}

  add(value: number): void {
    if (this.values.length < this.size) this.values.push(value);
    else this.values[this.next] = value;
    this.next = (this.next + 1) % this.size;
  }

  mean(): number | null {
    if (this.values.length === 0) return null;
    return this.values.reduce((sum, value) => sum + value, 0) / this.values.length;
  }

  percentiles(): { p50: number | null; p95: number | null } {
    if (this.values.length === 0) return { p50: null, p95: null };
    const sorted = [...this.values].sort((a, b) => a - b);
    const at = (q: number): number => round(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!);
    return { p50: at(0.5), p95: at(0.95) };
  }
}

const round = (value: number): number => Math.round(value * 10) / 10;
