/**
 * Small statistics for benchmark samples. Pure functions, no I/O, so they are unit-tested.
 */

/**
 * The p-th percentile (0..100) by linear interpolation between closest ranks (the same rule
 * as numpy's default and Excel's PERCENTILE.INC). Null for no samples.
 */
export function percentile(samples: readonly number[], p: number): number | null {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be within 0..100 (got ${p})`);
  const sorted = samples.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  const lowValue = sorted[low]!;
  return lowValue + (sorted[high]! - lowValue) * (rank - low);
}

export const median = (samples: readonly number[]): number | null => percentile(samples, 50);

/** a / b, or null when either is missing or b is 0. */
export function ratio(a: number | null | undefined, b: number | null | undefined): number | null {
  if (a === null || a === undefined || b === null || b === undefined || b === 0) return null;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return null;
  return a / b;
}

/**
 * Decode rate of one stream: tokens after the first, over the time from the first to the last
 * token. Prompt evaluation (the first token's wait) is left out, as llama.cpp's own figures do.
 */
export function decodeRate(tokens: number, firstAt: number | null, lastAt: number | null): number | null {
  if (firstAt === null || lastAt === null || tokens < 2 || lastAt <= firstAt) return null;
  return ((tokens - 1) * 1000) / (lastAt - firstAt);
}

/** Aggregate rate of runs decoded together: all their completion tokens over all their wall time. */
export function aggregateRate(runs: ReadonlyArray<{ completionTokens: number; wallMs: number }>): number | null {
  const ms = runs.reduce((total, run) => total + run.wallMs, 0);
  return ms > 0 ? (runs.reduce((total, run) => total + run.completionTokens, 0) * 1000) / ms : null;
}

export interface Summary {
  n: number;
  min: number | null;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
}

export function summarize(samples: readonly number[]): Summary {
  return {
    n: samples.length,
    min: percentile(samples, 0),
    p50: percentile(samples, 50),
    p95: percentile(samples, 95),
    p99: percentile(samples, 99),
    max: percentile(samples, 100),
  };
}
