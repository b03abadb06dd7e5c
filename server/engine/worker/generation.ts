/**
 * Worker side: one answer on one sequence. Evaluates the prompt suffix the sequence does not
 * hold yet, samples until end-of-generation, a stop string, maxTokens or the sequence's share of
 * the context is used up, and streams text as it is decoded. Sequences of one context that
 * evaluate at the same time are decoded in the same batch by node-llama-cpp.
 */
import type {
  LlamaContextSequence,
  LlamaGrammarEvaluationState,
  LlamaModel,
  SequenceEvaluateOptions,
  Token,
} from 'node-llama-cpp';
import type { FinishReason } from '../engine.js';
import { now, type ResolvedSampling } from '../protocol.js';
import { StopDetector } from './stop-detector.js';
import { TokenTextDecoder } from './token-text.js';

/** Tokens the repeat penalty looks back over (llama.cpp's default repeat_last_n). */
const REPEAT_LAST_N = 64;
/**
 * A long prompt is evaluated in chunks of this many tokens, so an abort is noticed within one
 * chunk's decode and other sequences' tokens get decoded in between.
 */
const PROMPT_CHUNK = 256;

export interface GenerationInput {
  model: LlamaModel;
  sequence: LlamaContextSequence;
  /** The whole prompt; the first `reused` tokens are already in the sequence's KV cache. */
  tokens: Token[];
  reused: number;
  sampling: ResolvedSampling;
  /** The template's end-of-turn markers, besides the model's end-of-generation tokens. */
  stopTokens: ReadonlySet<Token>;
  stopStrings: readonly string[];
  /** Constrains what may be sampled (JSON mode); a fresh state per answer. Defaults to none. */
  grammar?: LlamaGrammarEvaluationState;
  /** Tokens one sequence may hold (CONTEXT_SIZE). */
  contextSize: number;
  /** Checked after every sampled token. */
  isAborted(): boolean;
  /** Awaited (when it returns a promise) before the next token is asked for. */
  beforeNextToken(): Promise<unknown> | null;
  onText(text: string): void;
}

export interface GenerationResult {
  finishReason: FinishReason;
  completionTokens: number;
  firstTokenAt: number | null;
  lastTokenAt: number | null;
}

export async function generateAnswer(input: GenerationInput): Promise<GenerationResult> {
  const { model, sequence, tokens, sampling } = input;
  const recent = tokens.slice(-REPEAT_LAST_N);
  const decoder = new TokenTextDecoder((next, last) => model.detokenize(next, false, last), tokens);
  const stops = new StopDetector([...input.stopStrings, ...sampling.stop]);
  const limit = Math.min(sampling.maxTokens, input.contextSize - tokens.length);
  const result: GenerationResult = { finishReason: 'stop', completionTokens: 0, firstTokenAt: null, lastTokenAt: null };
  if (limit <= 0) return { ...result, finishReason: 'length' };

  let start = input.reused;
  for (; tokens.length - start > PROMPT_CHUNK; start += PROMPT_CHUNK) {
    if (input.isAborted()) return { ...result, finishReason: 'abort' };
    await sequence.evaluateWithoutGeneratingNewTokens(tokens.slice(start, start + PROMPT_CHUNK));
  }
  if (input.isAborted()) return { ...result, finishReason: 'abort' };

  let stopped = false;
  for await (const token of sequence.evaluate(tokens.slice(start), samplerOptions(sampling, recent, input.grammar))) {
    const at = now();
    result.firstTokenAt ??= at;
    result.lastTokenAt = at;
    if (input.stopTokens.has(token)) break;
    result.completionTokens++;
    recent.push(token);
    if (recent.length > REPEAT_LAST_N) recent.shift();
    const piece = stops.push(decoder.push(token));
    if (piece.text !== '') input.onText(piece.text);
    if (piece.stopped) {
      stopped = true;
      break;
    }
    if (input.isAborted()) {
      result.finishReason = 'abort';
      break;
    }
    if (result.completionTokens >= limit) {
      result.finishReason = 'length';
      break;
    }
    const pause = input.beforeNextToken();
    if (pause !== null) await pause;
  }
  if (!stopped) {
    const tail = stops.push(decoder.flush()).text + stops.flush();
    if (tail !== '') input.onText(tail);
  }
  return result;
}

function samplerOptions(
  sampling: ResolvedSampling,
  recent: Token[],
  grammar: LlamaGrammarEvaluationState | undefined,
): SequenceEvaluateOptions {
  return {
    ...(grammar ? { grammarEvaluationState: grammar } : {}),
    temperature: sampling.temperature,
    topK: sampling.topK,
    topP: sampling.topP,
    seed: sampling.seed,
    // node-llama-cpp stops on end-of-generation tokens itself; the sequence's share of the
    // context is enforced above, so it never has to shift the context.
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
}
