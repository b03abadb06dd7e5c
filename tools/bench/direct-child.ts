/**
 * The direct baseline: node-llama-cpp with no portal, in its own process, driven over IPC by
 * direct.ts. It renders the prompt as the portal does (the model's chat template, BOS first)
 * and samples as the portal does (greedy, repeat penalty over the last 64 tokens), and loads
 * the model as the portal's worker does (direct-load.ts), so the portal's figures can be
 * divided by these.
 */
import { JinjaTemplateChatWrapper, type LlamaContextSequence, type LlamaModel, type Token } from 'node-llama-cpp';
import { DEFAULT_CHAT_TEMPLATE } from '../../server/engine/worker/chat-template.js';
import { loadDirect } from './direct-load.js';
import type { DirectSampling, DirectSettings, DirectStream, FromDirect, ToDirect } from './direct-protocol.js';
import { readProcMemory } from './proc-memory.js';
import { decodeRate } from './stats.js';

/** The repeat penalty's window, as the portal's engine uses (llama.cpp's repeat_last_n). */
const REPEAT_LAST_N = 64;

const send = (message: FromDirect): void => void process.send?.(message);

async function main(): Promise<void> {
  const settings = JSON.parse(process.argv[2] ?? '') as DirectSettings;
  const started = performance.now();
  const { model, context, dispose } = await loadDirect(settings);
  const sequences = Array.from({ length: settings.sequences }, () => context.getSequence());
  const render = (text: string | undefined) => renderPrompt(model, text ?? settings.prompt);
  send({ type: 'ready', loadMs: performance.now() - started, promptTokens: render(undefined).length });

  process.on('message', (message: ToDirect) => {
    void handle(message).catch((error: unknown) =>
      send({ type: 'failed', message: error instanceof Error ? error.message : String(error) }),
    );
  });

  async function handle(message: ToDirect): Promise<void> {
    switch (message.type) {
      case 'single':
        send({ type: 'single', stream: await stream(model, sequences[0]!, render(message.prompt), message) });
        break;
      case 'concurrent': {
        if (message.prompts.length > sequences.length)
          throw new Error(`${message.prompts.length} streams but only ${sequences.length} sequences`);
        const prompts = message.prompts.map(render);
        const begin = performance.now();
        const streams = await Promise.all(prompts.map((prompt, i) => stream(model, sequences[i]!, prompt, message)));
        const completionTokens = streams.reduce((sum, s) => sum + s.completionTokens, 0);
        send({ type: 'concurrent', streams, wallMs: performance.now() - begin, completionTokens });
        break;
      }
      case 'tokens':
        send({ type: 'tokens', tokens: render(message.prompt).map(Number) });
        break;
      case 'memory':
        send({ type: 'memory', ...readProcMemory('self') });
        break;
      case 'exit':
        await dispose();
        process.exit(0);
    }
  }
}

function renderPrompt(model: LlamaModel, text: string): Token[] {
  const template = model.fileInfo.metadata.tokenizer?.chat_template;
  const wrapper = new JinjaTemplateChatWrapper({
    template: typeof template === 'string' && template.trim() !== '' ? template : DEFAULT_CHAT_TEMPLATE,
    tokenizer: model.tokenizer,
  });
  const { contextText } = wrapper.generateContextState({
    chatHistory: [
      { type: 'user', text },
      { type: 'model', response: [] },
    ],
  });
  const tokens = contextText.tokenize(model.tokenizer);
  const bos = model.tokens.bos;
  if (bos !== null && model.tokens.shouldPrependBosToken && tokens[0] !== bos) tokens.unshift(bos);
  return tokens;
}

/** One answer: greedy, detokenized token by token as a streamer would. Timed from the prompt's preparation. */
async function stream(
  model: LlamaModel,
  sequence: LlamaContextSequence,
  prompt: Token[],
  sampling: DirectSampling,
): Promise<DirectStream> {
  const begin = performance.now();
  const reusedTokens = await keepPrefix(sequence, prompt, sampling.reusePrefix);
  const recent = prompt.slice(-REPEAT_LAST_N);
  let first: number | null = null;
  let last: number | null = null;
  let count = 0;
  let textChars = 0;
  const options = {
    temperature: 0,
    topK: 40,
    topP: 0.95,
    ...(sampling.repeatPenalty === 1
      ? {}
      : {
          repeatPenalty: {
            punishTokens: () => recent,
            penalty: sampling.repeatPenalty,
            maxPunishTokens: REPEAT_LAST_N,
          },
        }),
  };
  // node-llama-cpp ends the generator itself at an end-of-generation token.
  for await (const token of sequence.evaluate(prompt.slice(reusedTokens), options)) {
    last = performance.now();
    first ??= last;
    count++;
    recent.push(token);
    if (recent.length > REPEAT_LAST_N) recent.shift();
    textChars += model.detokenize([token]).length;
    if (count >= sampling.maxTokens) break;
  }
  return {
    promptTokens: prompt.length,
    reusedTokens,
    completionTokens: count,
    ttftMs: first === null ? null : first - begin,
    decodeTokensPerSecond: decodeRate(count, first, last),
    totalMs: performance.now() - begin,
    textChars,
  };
}

main().catch((error: unknown) => {
  send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});

/** Keeps the common prefix's KV cache (all but the last prompt token at most) or clears it all. */
async function keepPrefix(sequence: LlamaContextSequence, prompt: Token[], reuse: boolean): Promise<number> {
  if (!reuse) {
    await sequence.clearHistory();
    return 0;
  }
  const common = sequence.compareContextTokens(prompt).firstDifferentIndex;
  const kept = Math.max(0, Math.min(common, prompt.length - 1));
  if (sequence.nextTokenIndex > kept)
    await sequence.eraseContextTokenRanges([{ start: kept, end: sequence.nextTokenIndex }]);
  return kept;
}
