import { createCpuSampler } from './cpu-sampler.js';
import { RingBuffer } from './ring-buffer.js';
import { memorySnapshot } from './system-snapshot.js';

/** One point of GET /api/admin/metrics/history. */
export interface HistorySample {
  /** ISO time of the sample. */
  at: string;
  cpuPercent: number;
  memoryUsedBytes: number;
  processRssBytes: number;
  /** Tokens generated per second over the interval before this sample (throughput, all users). */
  tokensPerSecond: number;
  queueDepth: number;
  activeSessions: number;
}

export interface HistorySources {
  /** Running totals of the engine (InferenceStats fits). */
  inference: () => { tokensGenerated: number; queueDepth: number };
  /** Open chat sockets. */
  activeSessions: () => number;
  /** System CPU %. Defaults to a cpu sampler owned by this history. */
  cpuPercent?: () => number;
  /** Defaults to memorySnapshot(). */
  memory?: () => { usedBytes: number; processRssBytes: number };
}

export interface MetricsHistoryOptions {
  sources: HistorySources;
  /** Seconds between samples. Defaults to 5. */
  intervalSec?: number;
  /** Samples kept. Defaults to 720 (one hour at 5 s). */
  capacity?: number;
  /** Clock in ms since the epoch, for tests. Defaults to Date.now. */
  now?: () => number;
}

export interface MetricsHistory {
  /** Takes a sample now, then one every intervalSec on an unref'd timer. Idempotent. */
  start(): void;
  stop(): void;
  /** Records one sample now (the timer calls this; tests may too). */
  sample(): HistorySample;
  /** Oldest sample first. */
  snapshot(): { intervalSec: number; samples: HistorySample[] };
}

export function createMetricsHistory(options: MetricsHistoryOptions): MetricsHistory {
  const { sources } = options;
  const intervalSec = options.intervalSec ?? 5;
  const now = options.now ?? Date.now;
  const buffer = new RingBuffer<HistorySample>(options.capacity ?? 720);
  const cpu = sources.cpuPercent ?? createCpuSampler({ minWindowMs: 0 }).percent;
  const memory = sources.memory ?? memorySnapshot;
  let previous: { tokens: number; at: number } | undefined;
  let timer: NodeJS.Timeout | undefined;

  // Samples come from a timer: a failing source (engine restarting) records zeros, never throws.
  const read = <T>(source: () => T, fallback: T): T => {
    try {
      return source();
    } catch {
      return fallback;
    }
  };

  const throughput = (tokens: number, at: number): number => {
    const before = previous;
    previous = { tokens, at };
    // No earlier sample, or the counter restarted with the engine: no rate to speak of.
    if (before === undefined || tokens < before.tokens || at <= before.at) return 0;
    return Math.round(((tokens - before.tokens) / ((at - before.at) / 1000)) * 10) / 10;
  };

  const sample = (): HistorySample => {
    const at = now();
    const inference = read(sources.inference, { tokensGenerated: previous?.tokens ?? 0, queueDepth: 0 });
    const mem = read(memory, { usedBytes: 0, processRssBytes: 0 });
    const point: HistorySample = {
      at: new Date(at).toISOString(),
      cpuPercent: read(cpu, 0),
      memoryUsedBytes: mem.usedBytes,
      processRssBytes: mem.processRssBytes,
      tokensPerSecond: throughput(inference.tokensGenerated, at),
      queueDepth: inference.queueDepth,
      activeSessions: read(sources.activeSessions, 0),
    };
    buffer.push(point);
    return point;
  };

  return {
    start() {
      if (timer !== undefined) return;
      sample();
      timer = setInterval(sample, intervalSec * 1000);
      timer.unref();
    },
    stop() {
      clearInterval(timer);
      timer = undefined;
    },
    sample,
    snapshot: () => ({ intervalSec, samples: buffer.toArray() }),
  };
}
