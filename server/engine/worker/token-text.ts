/**
 * Turns a stream of sampled tokens into text without ever splitting a multi-byte UTF-8
 * character: a character spread over several byte tokens decodes to U+FFFD until its last byte
 * arrives, so such tokens are held back (at most 4, the longest UTF-8 sequence) and decoded
 * together. Bytes that never form a character (random-weight models emit them) are passed on
 * as replacement characters: the stream never fails over them.
 */
import type { Token } from 'node-llama-cpp';

/** Decodes `tokens` as the continuation of `lastTokens` (SentencePiece needs them for spaces). */
export type Detokenize<T = Token> = (tokens: T[], lastTokens: T[]) => string;

const MAX_HELD_TOKENS = 4;
const CONTEXT_TOKENS = 3;
const REPLACEMENT = '\uFFFD';

export class TokenTextDecoder<T = Token> {
  private held: T[] = [];
  private recent: T[];

  /** `previous` is what precedes the first token (the prompt's tail). */
  constructor(
    private readonly detokenize: Detokenize<T>,
    previous: readonly T[] = [],
  ) {
    this.recent = previous.slice(-CONTEXT_TOKENS);
  }

  /** The text this token completes; '' while a character is still incomplete. */
  push(token: T): string {
    this.held.push(token);
    const text = this.detokenize(this.held, this.recent);
    if (text.endsWith(REPLACEMENT) && this.held.length < MAX_HELD_TOKENS) return '';
    this.release();
    return text;
  }

  /** Whatever is still held back, at the end of the stream. */
  flush(): string {
    if (this.held.length === 0) return '';
    const text = this.detokenize(this.held, this.recent);
    this.release();
    return text;
  }

  private release(): void {
    this.recent = [...this.recent, ...this.held].slice(-CONTEXT_TOKENS);
    this.held = [];
  }
}
