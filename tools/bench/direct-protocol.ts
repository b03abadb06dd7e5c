/**
 * Messages between the benchmark and its direct node-llama-cpp child (direct-child.ts), which
 * runs the same model with no portal in front, as the baseline of the portal's figures.
 */

/** How the child loads the model: the same file, threads and context as the portal's server. */
export interface DirectSettings {
  modelPath: string;
  threads: number;
  /** Tokens per sequence, as CONTEXT_SIZE. */
  contextSize: number;
  /** Sequences in the one context, as PARALLEL. */
  sequences: number;
  /** The user message, rendered with the model's chat template as the portal renders it. */
  prompt: string;
}

/** How one stream is generated: greedy, with the portal's repeat penalty or none (1). */
export interface DirectSampling {
  maxTokens: number;
  repeatPenalty: number;
  /**
   * Keep the KV cache of the prefix the sequence already holds, as the portal's engine does
   * (at least the last prompt token is evaluated again); false clears the sequence first.
   */
  reusePrefix: boolean;
}

export type ToDirect =
  /** One stream on the first sequence; `prompt` defaults to the settings' prompt. */
  | ({ type: 'single'; prompt?: string } & DirectSampling)
  /** One stream per prompt, each on its own sequence, all at once. */
  | ({ type: 'concurrent'; prompts: string[] } & DirectSampling)
  /** The prompt's tokens as the portal renders them (llama-server is sent these ids). */
  | { type: 'tokens'; prompt?: string }
  | { type: 'memory' }
  | { type: 'exit' };

/** One generated answer, timed inside the child (performance.now, milliseconds). */
export interface DirectStream {
  promptTokens: number;
  /** Prompt tokens whose KV cache was kept from the sequence's previous stream. */
  reusedTokens: number;
  completionTokens: number;
  /** From the evaluate() call to the first sampled token: prompt evaluation plus one sample. */
  ttftMs: number | null;
  decodeTokensPerSecond: number | null;
  totalMs: number;
  /** Characters of detokenized text (streamed as a client would receive it). */
  textChars: number;
}

export type FromDirect =
  | { type: 'ready'; loadMs: number; promptTokens: number }
  | { type: 'single'; stream: DirectStream }
  | { type: 'concurrent'; streams: DirectStream[]; wallMs: number; completionTokens: number }
  | { type: 'tokens'; tokens: number[] }
  | { type: 'memory'; vmHwmBytes: number | null; vmRssBytes: number | null }
  | { type: 'failed'; message: string };
