/**
 * The benchmark suites `npm run bench -- <suite>` runs. Each is imported when chosen, so the
 * db suite never loads node-llama-cpp and listing the suites loads nothing.
 */
export interface Suite {
  about: string;
  run(argv: string[]): Promise<void>;
}

export const SUITES: Record<string, Suite> = {
  full: {
    about: 'the portal against direct node-llama-cpp (and llama-server when built) on the TinyLlama-shaped bench model',
    run: async (argv) => (await import('./portal-bench.js')).runPortalBench(argv, 'all'),
  },
  quick: {
    about: 'the same on the tiny test model with fewer samples: a smoke run of a few minutes',
    run: async (argv) => (await import('./portal-bench.js')).runPortalBench(['--quick', ...argv], 'all'),
  },
  db: {
    about: "storing chat turns: WAL checkpoint thread and shared commits against SQLite's defaults",
    run: async (argv) => (await import('./db-turns.js')).runDbTurns(argv),
  },
  threads: {
    about: 'decode at THREADS=1 and 2, counting the threads each decode creates (--model GGUF)',
    run: async (argv) => (await import('./thread-churn.js')).runThreadChurn(argv),
  },
  depth: {
    about: "llama.cpp's time for a few tokens over a longer and longer history (--model, --threads, --tokens)",
    run: async (argv) => (await import('./attention-depth.js')).runAttentionDepth(argv),
  },
  cache: {
    about: 'the cache-hit phase alone: memory tier, Redis, Redis with CACHE_MEMORY_MB=0 (--quick: tiny model)',
    run: async (argv) => (await import('./portal-bench.js')).runPortalBench(argv, 'cache'),
  },
};

export const DEFAULT_SUITE = 'full';

/** The suite named first in argv (options alone: the default), and the arguments left for it. */
export function pickSuite(argv: string[]): { name: string; suite: Suite | undefined; rest: string[] } {
  const [first, ...others] = argv;
  if (first === undefined || first.startsWith('-'))
    return { name: DEFAULT_SUITE, suite: SUITES[DEFAULT_SUITE], rest: argv };
  return { name: first, suite: Object.hasOwn(SUITES, first) ? SUITES[first] : undefined, rest: others };
}

/** One line per suite, for the usage text. */
export function suiteList(): string {
  const width = Math.max(...Object.keys(SUITES).map((name) => name.length));
  return Object.entries(SUITES)
    .map(([name, { about }]) => `  ${name.padEnd(width)}  ${about}${name === DEFAULT_SUITE ? ' (the default)' : ''}`)
    .join('\n');
}
