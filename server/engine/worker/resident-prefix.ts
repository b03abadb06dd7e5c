/**
 * Worker side: how much of a new prompt a sequence already holds. Compared token by token, a
 * follow-up turn would share little past the previous prompt: the sequence holds the tokens the
 * model *generated*, the new prompt re-tokenizes the stored answer's *text*, and a generated
 * token is often not the tokenizer's own split of its text (`propor` comes back as `pro` `por`).
 * So where the tokens part, the two are compared as text, and the prompt takes the held tokens
 * for as long as they spell the same text: the model is fed its own answer as it produced it,
 * and only what is really new is evaluated.
 */
import type { Token } from 'node-llama-cpp';
import { TokenTextDecoder, type Detokenize } from './token-text.js';

export interface ResidentPrefix<T = Token> {
  /** The prompt to evaluate: held tokens up to `reused`, then the rest of the new prompt. */
  tokens: T[];
  /** Tokens at the start of `tokens` that the sequence already holds. */
  reused: number;
}

export function residentPrefix<T = Token>(
  held: readonly T[],
  prompt: readonly T[],
  detokenize: Detokenize<T>,
): ResidentPrefix<T> {
  let common = 0;
  while (common < held.length && common < prompt.length && held[common] === prompt[common]) common++;
  const extra = common < held.length && common < prompt.length ? alignByText(held, prompt, common, detokenize) : null;
  const tokens =
    extra === null ? [...prompt] : [...held.slice(0, common + extra.held), ...prompt.slice(common + extra.prompt)];
  // The last prompt token is always evaluated again: sampling needs its logits.
  return { tokens, reused: Math.min(common + (extra?.held ?? 0), tokens.length - 1) };
}

/**
 * Walks both token runs from `start`, decoding them piece by piece, for as long as one's text
 * is a prefix of the other's; returns the last point where both end on a token boundary with
 * the same text (how many tokens of each), or null when there is none past `start`.
 */
function alignByText<T>(held: readonly T[], prompt: readonly T[], start: number, detokenize: Detokenize<T>) {
  const a = new PieceReader(held, start, detokenize);
  const b = new PieceReader(prompt, start, detokenize);
  let best: { held: number; prompt: number } | null = null;
  while (true) {
    const shorter = a.text.length <= b.text.length ? a : b;
    if (!shorter.next()) break;
    const [short, long] = a.text.length <= b.text.length ? [a.text, b.text] : [b.text, a.text];
    if (!long.startsWith(short)) break;
    if (a.text.length === b.text.length) best = { held: a.read, prompt: b.read };
  }
  return best;
}

/** Decodes a token run a piece at a time, the way answers are streamed (token-text.ts). */
class PieceReader<T> {
  text = '';
  /** Tokens whose text is in `text`. */
  read = 0;
  private pushed = 0;
  private readonly decoder: TokenTextDecoder<T>;

  constructor(
    private readonly tokens: readonly T[],
    private readonly start: number,
    detokenize: Detokenize<T>,
  ) {
    this.decoder = new TokenTextDecoder(detokenize, tokens.slice(0, start));
  }

  /** Reads the next piece of text; false at the end of the run. */
  next(): boolean {
    while (this.start + this.pushed < this.tokens.length) {
      const piece = this.decoder.push(this.tokens[this.start + this.pushed++]!);
      if (piece !== '') return this.take(piece);
    }
    // The end: whatever the decoder still holds (an incomplete character, empty pieces).
    return this.pushed > this.read ? this.take(this.decoder.flush()) : false;
  }

  private take(piece: string): boolean {
    this.text += piece;
    this.read = this.pushed;
    return true;
  }
}
