/** How a bench run's phases are timed and logged, and its table and JSON written at the end. */
import fs from 'node:fs';
import path from 'node:path';
import { log } from './log.js';
import type { BenchPlan } from './plan.js';
import { formatTable } from './report.js';
import type { BenchResults } from './results.js';
import { buildRows } from './rows.js';

export type PhaseRunner = <T>(name: string, run: () => Promise<T>) => Promise<T | undefined>;

/** Runs a phase, logging its time; a failure is recorded in results and the run goes on. */
export function phaseRunner(results: BenchResults): PhaseRunner {
  return async (name, run) => {
    const begin = Date.now();
    log(`${name}…`);
    try {
      return await run();
    } catch (error) {
      results.failures.push({ phase: name, message: (error as Error).message });
      log(`${name} failed: ${(error as Error).message}`);
      return undefined;
    } finally {
      log(`${name}: ${((Date.now() - begin) / 1000).toFixed(1)} s`);
    }
  };
}

/** Prints the table and writes the raw figures to plan.outDir; a failed phase makes the exit code 1. */
export function report(plan: BenchPlan, results: BenchResults): void {
  const { setup, machine } = results;
  const prompt = setup.promptTokens === undefined ? '' : `${setup.promptTokens}-token prompt, `;
  console.log(
    `\n${setup.model} (${(setup.modelBytes / 1e6).toFixed(0)} MB), ${prompt}${setup.maxTokens} tokens greedy, THREADS=${setup.threads}, CONTEXT_SIZE=${setup.contextSize}, PARALLEL=${setup.parallel}`,
  );
  console.log(
    `${machine.cores} cores ${machine.cpuModel}, ${machine.memoryGiB} GiB, Node ${machine.node}, load ${machine.loadStart.toFixed(1)} → ${machine.loadEnd?.toFixed(1)}, ${results.durationSec} s\n`,
  );
  console.log(formatTable(buildRows(results)));
  for (const failure of results.failures) console.log(`\nFAILED ${failure.phase}: ${failure.message}`);
  fs.mkdirSync(plan.outDir, { recursive: true });
  const suite = setup.phases === 'cache' ? `cache-${setup.mode}` : setup.mode;
  const file = path.join(plan.outDir, `bench-${suite}-${results.startedAt.replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nRaw figures: ${path.relative(process.cwd(), file)}`);
  if (results.failures.length > 0) process.exitCode = 1;
}
