import type { AnswerEvents, Done } from './answer-events.js';
import type { TurnContext } from './turn-context.js';

/** Cached answers are replayed in pieces of this size: "streamed at once", few frames. */
const REPLAY_CHUNK_CHARS = 256;

/** A cached answer, already stored: sent in one go (one write): start, its text, done. */
export function replay(turn: TurnContext, { text, done }: { text: string; done: Done }, answers: AnswerEvents): Done {
  turn.start();
  for (let i = 0; i < text.length; i += REPLAY_CHUNK_CHARS) turn.token(text.slice(i, i + REPLAY_CHUNK_CHARS));
  answers.answered(done, { cached: true, userId: turn.userId, route: 'socket' });
  turn.done(done, true);
  return done;
}
