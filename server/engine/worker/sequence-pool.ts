/**
 * Worker side: the context's PARALLEL sequences. A sequence stays resident with the tokens of
 * its conversation's last turn, so the next turn of that conversation evaluates only what is
 * new; when a conversation has no resident sequence it takes the least recently used free one.
 *
 * Cutting a sequence back (eraseContextTokenRanges, clearHistory) takes the context's lock,
 * which node-llama-cpp 3.21.1 keeps for as long as any decode is queued: with two or more
 * sequences generating, until they are all done. So a request that joined a running batch would
 * wait for the whole batch before its first token. While a cut is pending, the generations
 * therefore pause between tokens (pauseForCuts): the batch loop runs dry, the cut gets the lock,
 * and everyone carries on one decode step later.
 */
import type { LlamaContextSequence, Token } from 'node-llama-cpp';
import { residentPrefix, type ResidentPrefix } from './resident-prefix.js';
import type { Detokenize } from './token-text.js';

export interface Slot {
  readonly sequence: LlamaContextSequence;
  /** The conversation whose tokens the sequence holds; null when it holds none worth keeping. */
  sessionKey: string | null;
  lastUsed: number;
  busy: boolean;
  /** Work the sequence still does after its answer (the next turn's opening, see prefill). */
  settling: Promise<void> | null;
}

export class SequencePool {
  private readonly slots: Slot[];
  private readonly cuts = new Set<Promise<void>>();
  private clock = 0;

  constructor(sequences: LlamaContextSequence[]) {
    this.slots = sequences.map((sequence) => ({
      sequence,
      sessionKey: null,
      lastUsed: 0,
      busy: false,
      settling: null,
    }));
  }

  get active(): number {
    return this.slots.filter((slot) => slot.busy).length;
  }

  /** The conversation's resident sequence if free, else the least recently used free one. */
  acquire(sessionKey: string | null): Slot {
    const free = this.slots.filter((slot) => !slot.busy);
    const resident = sessionKey === null ? undefined : free.find((slot) => slot.sessionKey === sessionKey);
    const slot = resident ?? free.sort((a, b) => a.lastUsed - b.lastUsed)[0];
    // The main thread's scheduler never lets more requests in than there are sequences.
    if (slot === undefined) throw new Error('No free sequence: more generations than PARALLEL were started.');
    slot.busy = true;
    slot.sessionKey = sessionKey;
    slot.lastUsed = ++this.clock;
    return slot;
  }

  release(slot: Slot): void {
    slot.busy = false;
    slot.lastUsed = ++this.clock;
  }

  /**
   * Cuts the sequence back to what it shares with `prompt` (see resident-prefix.ts) and returns
   * the prompt to evaluate, whose first `reused` tokens the sequence already holds.
   */
  async reuse(slot: Slot, prompt: Token[], detokenize: Detokenize): Promise<ResidentPrefix> {
    await slot.settling;
    return this.align(slot, prompt, detokenize);
  }

  /**
   * After an answer, while the user reads it: evaluates what the conversation's next turn will
   * start with (the end of the answer, the template's end-of-turn and next user header) into
   * the released sequence, so that turn evaluates only its message. The sequence stays free;
   * whoever takes it next waits for this in reuse(). A failure leaves the sequence empty.
   */
  prefill(slot: Slot, next: Token[], detokenize: Detokenize): Promise<void> {
    const work = async () => {
      const { tokens, reused } = await this.align(slot, next, detokenize);
      if (tokens.length > reused) await slot.sequence.evaluateWithoutGeneratingNewTokens(tokens.slice(reused));
    };
    const settling = work().catch(() => this.clear(slot));
    slot.settling = settling;
    return settling.finally(() => {
      if (slot.settling === settling) slot.settling = null;
    });
  }

  private async align(slot: Slot, prompt: Token[], detokenize: Detokenize): Promise<ResidentPrefix> {
    const { sequence } = slot;
    const prefix = residentPrefix(sequence.contextTokens, prompt, detokenize);
    if (sequence.nextTokenIndex > prefix.reused) {
      await this.cut(sequence.eraseContextTokenRanges([{ start: prefix.reused, end: sequence.nextTokenIndex }]));
    }
    return prefix;
  }

  /** Empties the sequence (its KV cache may hold half an evaluation) and forgets its conversation. */
  async clear(slot: Slot): Promise<void> {
    slot.sessionKey = null;
    await this.cut(slot.sequence.clearHistory()).catch(() => undefined);
  }

  /** What a generation awaits before asking for its next token, while a cut waits for the lock. */
  pauseForCuts(): Promise<unknown> | null {
    return this.cuts.size === 0 ? null : Promise.allSettled([...this.cuts]);
  }

  private async cut(work: Promise<void>): Promise<void> {
    this.cuts.add(work);
    try {
      await work;
    } finally {
      this.cuts.delete(work);
    }
  }
}
