/**
 * What a bench run has started and how to stop it, so a watchdog, a failure or Ctrl-C leaves no
 * child behind and still reports what was measured so far.
 */
import os from 'node:os';
import { log } from './log.js';
import type { BenchPlan } from './plan.js';
import type { BenchResults } from './results.js';
import { report } from './run-report.js';

const running = new Map<object, () => Promise<void>>();

/** What a stopped run measured so far, reported before it exits. */
const partial: { plan?: BenchPlan; results?: BenchResults } = {};

/** Remembers how to stop a started value until stop() is called on it. */
export async function track<T extends object>(starting: Promise<T>, stopper: (value: T) => Promise<void>): Promise<T> {
  const value = await starting;
  running.set(value, () => stopper(value));
  return value;
}

export async function stop(...values: object[]): Promise<void> {
  for (const value of values) {
    const stopIt = running.get(value);
    running.delete(value);
    await stopIt?.();
  }
}

/** The results that abort() reports. */
export function guard(plan: BenchPlan, results: BenchResults): void {
  partial.plan = plan;
  partial.results = results;
}

/** Aborts the run after ms; returns the timer's cancel. */
export function watchdog(ms: number): () => void {
  const timer = setTimeout(() => void abort(`the run took over ${ms / 60_000} minutes`), ms);
  return () => clearTimeout(timer);
}

/** Stops everything still running, reports what was measured and exits 1. */
export async function abort(reason: string): Promise<never> {
  log(`stopping: ${reason}`);
  const { plan, results } = partial;
  partial.results = undefined; // report once, even if stopping makes a phase fail
  await Promise.allSettled([...running.values()].map((stopIt) => stopIt()));
  if (plan && results) {
    results.failures.push({ phase: 'run', message: `stopped: ${reason.split('\n')[0]}` });
    results.machine.loadEnd = os.loadavg()[0]!;
    report(plan, results);
  }
  process.exit(1);
}
