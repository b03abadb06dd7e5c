import type { GenerateEvent } from '../engine/engine.js';
import type { AnswerRoute } from '../metrics/route-totals.js';

export type { AnswerRoute };

export type Done = Extract<GenerateEvent, { type: 'done' }>;

/** Where a finished answer came from. */
export interface AnswerSource {
  cached: boolean;
  /** Whose answer it was: usage and token budgets are counted per user. */
  userId: string;
  /** Who asked: the chat socket or the OpenAI-compatible API. */
  route: AnswerRoute;
}

export type AnswerListener = (done: Done, source: AnswerSource) => void;

/**
 * Every finished answer, from the model or from the cache, reported once: metrics subscribe
 * here instead of watching the engine and the cache separately.
 */
export function createAnswerEvents() {
  const listeners = new Set<AnswerListener>();
  return {
    /** Observe finished answers. Returns an unsubscribe. */
    onAnswer(listener: AnswerListener): () => void {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    /** Reports one finished answer; a listener that throws does not disturb the answer. */
    answered(done: Done, source: AnswerSource): void {
      for (const listener of listeners) {
        try {
          listener(done, source);
        } catch {
          // Observers must not break a chat turn.
        }
      }
    },
  };
}

export type AnswerEvents = ReturnType<typeof createAnswerEvents>;
