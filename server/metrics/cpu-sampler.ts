import os from 'node:os';

export interface CpuSamplerOptions {
  /**
   * Shortest window a reading covers: a read sooner than this after the last full window
   * returns that window's value, so two callers reading close together do not see noise.
   * Defaults to 1000 ms.
   */
  minWindowMs?: number;
  /** Per-core times, for tests. Defaults to os.cpus(). */
  cpus?: () => Pick<os.CpuInfo, 'times'>[];
  /** Clock in ms, for tests. Defaults to performance.now(). */
  now?: () => number;
}

export interface CpuSampler {
  /** Busy share of all cores, 0-100, since the previous reading (not the load average). */
  percent(): number;
}

interface CpuTimes {
  busy: number;
  total: number;
  at: number;
}

/**
 * CPU use from os.cpus() tick deltas. Each consumer should own a sampler: a reading
 * measures the window since that sampler's last one.
 */
export function createCpuSampler(options: CpuSamplerOptions = {}): CpuSampler {
  const minWindowMs = options.minWindowMs ?? 1000;
  const cpus = options.cpus ?? os.cpus;
  const now = options.now ?? (() => performance.now());
  const take = (): CpuTimes => ({ ...sumTimes(cpus()), at: now() });
  let baseline = take();
  let last: number | undefined;

  return {
    percent() {
      const current = take();
      const windowMs = current.at - baseline.at;
      if (windowMs < minWindowMs && last !== undefined) return last;
      const total = current.total - baseline.total;
      if (total <= 0) return last ?? 0;
      const value = clampPercent((100 * (current.busy - baseline.busy)) / total);
      if (windowMs >= minWindowMs) {
        baseline = current;
        last = value;
      }
      return value;
    },
  };
}

function sumTimes(cores: Pick<os.CpuInfo, 'times'>[]): { busy: number; total: number } {
  let busy = 0;
  let total = 0;
  for (const { times } of cores) {
    const coreBusy = times.user + times.nice + times.sys + times.irq;
    busy += coreBusy;
    total += coreBusy + times.idle;
  }
  return { busy, total };
}

function clampPercent(value: number): number {
  return Math.min(100, Math.max(0, Math.round(value * 10) / 10));
}
