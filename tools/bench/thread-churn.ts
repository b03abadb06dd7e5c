/**
 * `npm run bench -- threads [--model GGUF]`: where node-llama-cpp's decode loses to llama-server.
 * Decodes one answer with THREADS=1 and THREADS=2 (node-llama-cpp alone, loaded as the direct
 * baseline loads it) while sampling /proc/self/task every millisecond, and prints tokens/s and how many
 * new threads appeared. node-llama-cpp's addon attaches no ggml threadpool, so every decode with
 * more than one thread creates (and ends) its helper threads; llama-server keeps one pool.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { LlamaChatSession } from 'node-llama-cpp';
import { loadDirect } from './direct-load.js';
import { log } from './log.js';
import { PROMPT, ROOT } from './plan.js';

async function decode(modelPath: string, threads: number): Promise<{ tokens: number; ms: number; newThreads: number }> {
  const { context, dispose } = await loadDirect({ modelPath, threads, contextSize: 2048, sequences: 1 });
  try {
    const session = new LlamaChatSession({ contextSequence: context.getSequence() });
    const before = new Set(fs.readdirSync('/proc/self/task'));
    const seen = new Set<string>();
    const sampler = setInterval(
      () => fs.readdirSync('/proc/self/task').forEach((tid) => before.has(tid) || seen.add(tid)),
      1,
    );
    let tokens = 0;
    const started = performance.now();
    await session.prompt(PROMPT, { maxTokens: 64, temperature: 0, onToken: (chunk) => (tokens += chunk.length) });
    const ms = performance.now() - started;
    clearInterval(sampler);
    return { tokens, ms, newThreads: seen.size };
  } finally {
    await dispose();
  }
}

export async function runThreadChurn(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { model: { type: 'string' } } });
  const modelPath = path.resolve(values.model ?? path.join(ROOT, 'bench-results', 'tinyllama-shape-q4_0.gguf'));
  if (!fs.existsSync(modelPath)) throw new Error(`${modelPath} is missing: run npm run bench:model, or pass --model`);
  log(
    `${path.relative(process.cwd(), modelPath)}: one 64-token answer per thread count, new threads sampled every 1 ms`,
  );
  for (const threads of [1, 2, 1, 2]) {
    const { tokens, ms, newThreads } = await decode(modelPath, threads);
    console.log(
      `THREADS=${threads}: ${tokens} tokens in ${ms.toFixed(0)} ms (${((tokens * 1000) / ms).toFixed(1)} tok/s incl. prompt), ${newThreads} new threads seen`,
    );
  }
}
