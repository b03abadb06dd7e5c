import type { FastifyBaseLogger } from 'fastify';
import type { ResponseCache } from '../cache/response-cache.js';
import { storeAnswer } from './answer-cache.js';
import { EngineError, type Engine } from '../engine/engine.js';
import type { AnswerEvents, Done } from './answer-events.js';
import { finishedFields } from './chat-turn.js';
import { cutByRestart } from './drain.js';
import type { TurnContext } from './turn-context.js';

export interface ModelAnswerDeps {
  engine: Engine;
  cache: ResponseCache;
  log: FastifyBaseLogger;
  answers: AnswerEvents;
}

/** The model's answer: streamed, saved as it goes, cached when it ended by itself. */
export async function answerFromModel(turn: TurnContext, deps: ModelAnswerDeps): Promise<Done> {
  const done = await generate(turn, deps.engine);
  deps.answers.answered(done, { cached: false, userId: turn.userId, route: 'socket' });
  await turn.writer.finish(finishedFields(done));
  storeAnswer(deps, turn.lookup.key, turn.writer.text, done);
  turn.done(done, false);
  return done;
}

async function generate(turn: TurnContext, engine: Engine): Promise<Done> {
  const { stored } = turn;
  const events = engine.generate(
    { userId: turn.userId, sessionKey: stored.conversationId, messages: stored.messages, options: turn.sampling },
    turn.signal,
  );
  for await (const event of events) {
    if (event.type === 'queued') turn.queued(event.position, event.etaMs);
    else if (event.type === 'start') turn.start();
    else if (event.type === 'token') {
      turn.writer.append(event.text);
      turn.token(event.text);
    } else {
      turn.start(); // stopped while still queued: the client still learns the message ids
      // Cut by the shutdown, not by its client: an error that says so, stored as interrupted.
      if (cutByRestart(turn.signal)) throw turn.signal.reason;
      return event;
    }
  }
  throw new EngineError('internal', 'The model stopped without finishing the answer.');
}
