/**
 * `npm run bench -- depth [--model GGUF] [--threads N] [--tokens N]`: what llama.cpp itself
 * (node-llama-cpp alone, loaded as the portal's worker loads it) needs to evaluate the same few
 * tokens on top of a longer and longer history.
 * Turn 10 of a conversation evaluates about as many new tokens as turn 1 but attends over
 * ~900 tokens of history; this is the floor of its first-token time against turn 1's, whatever
 * the portal does. Prints the median of 5 per depth and its ratio to depth 0.
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { loadDirect } from './direct-load.js';
import { log } from './log.js';
import { ROOT } from './plan.js';
import { median } from './stats.js';

const DEPTHS = [0, 300, 600, 900, 1200];
const REPEATS = 5;

export async function runAttentionDepth(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      model: { type: 'string', default: `${ROOT}/bench-results/tinyllama-shape-q4_0.gguf` },
      threads: { type: 'string', default: '2' },
      tokens: { type: 'string', default: '29' },
    },
  });
  const tokens = Number(values.tokens);
  if (!fs.existsSync(values.model))
    throw new Error(`No model at ${values.model}: run \`npm run bench:model\` first, or pass --model.`);

  log(
    `${tokens} tokens evaluated after 0–${DEPTHS.at(-1)} tokens of history, ${values.threads} threads, ${values.model}`,
  );
  const direct = await loadDirect({
    modelPath: values.model,
    threads: Number(values.threads),
    contextSize: 2048,
    sequences: 4,
  });
  try {
    const text = direct.model.tokenize(
      'The sea is wide and deep, and the waves roll over the shore under a grey sky. '.repeat(200),
    );
    const sequence = direct.context.getSequence();
    let base: number | null = null;
    for (const depth of DEPTHS) {
      const times: number[] = [];
      for (let i = 0; i < REPEATS; i++) {
        await sequence.clearHistory();
        if (depth > 0) await sequence.evaluateWithoutGeneratingNewTokens(text.slice(0, depth));
        const started = performance.now();
        await sequence.evaluateWithoutGeneratingNewTokens(text.slice(depth, depth + tokens));
        times.push(performance.now() - started);
      }
      const ms = median(times)!;
      base ??= ms;
      console.log(
        `history ${String(depth).padStart(4)} tokens: ${tokens} tokens in ${ms.toFixed(1)} ms  ${(ms / base).toFixed(2)}x history 0`,
      );
    }
  } finally {
    await direct.dispose();
  }
}
