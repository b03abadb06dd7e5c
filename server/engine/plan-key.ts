/**
 * The key under which a prompt plan is remembered, on both sides of the worker boundary. A plan
 * (rendered prompt, its tokens, the messages kept) is a pure function of the messages and the
 * answer budget for a loaded model, and it is asked for again and again: generate() right after
 * plan(), and every repeated question the response cache answers.
 */
import type { ChatTurn } from './engine.js';

export const planKey = (messages: readonly ChatTurn[], answerBudget: number): string =>
  JSON.stringify([answerBudget, messages.map((m) => [m.role, m.content])]);
