/**
 * Worker side: the context's PARALLEL sequences. A sequence stays resident with the tokens of
 * its conversation's last turn, so the next turn of that conversation evaluates only what is
 * new; when a conversation has no resident sequence it takes the least recently used free one.
 */
import type { LlamaContextSequence, Token } from 'node-llama-cpp';

export interface Slot {
  readonly sequence: LlamaContextSequence;
  /** The conversation whose tokens the sequence holds; null when it holds none worth keeping. */
  sessionKey: string | null;
  lastUsed: number;
  busy: boolean;
}

export class SequencePool {
  private readonly slots: Slot[];
  private clock = 0;

  constructor(sequences: LlamaContextSequence[]) {
    this.slots = sequences.map((sequence) => ({ sequence, sessionKey: null, lastUsed: 0, busy: false }));
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
   * Keeps the KV cache of the longest common prefix of what the sequence holds and `tokens`,
   * erases the rest, and returns how many prompt tokens are reused. At least the last prompt
   * token is always evaluated again, since sampling needs its logits.
   */
  async reuse(slot: Slot, tokens: Token[]): Promise<number> {
    const { sequence } = slot;
    const common = sequence.compareContextTokens(tokens).firstDifferentIndex;
    const reused = Math.max(0, Math.min(common, tokens.length - 1));
    if (sequence.nextTokenIndex > reused) {
      await sequence.eraseContextTokenRanges([{ start: reused, end: sequence.nextTokenIndex }]);
    }
    return reused;
  }
}
