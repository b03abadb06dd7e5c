/**
 * Fits a conversation into one sequence's context, measured in the model's real tokens of the
 * fully rendered prompt (template markup included): the system prompt always stays, then the
 * newest history that fits; the oldest turns are dropped first.
 */
import type { Token } from 'node-llama-cpp';
import { EngineError } from '../engine-error.js';
import type { ChatTurn, PromptPlan } from '../engine.js';

export interface BudgetLimits {
  /** Tokens per sequence (CONTEXT_SIZE). */
  contextSize: number;
  /** Tokens reserved for the answer: min(request maxTokens, MAX_TOKENS). */
  answerBudget: number;
}

export interface Rendered {
  text: string;
  tokens: Token[];
}

export interface BudgetedPrompt {
  plan: PromptPlan;
  tokens: Token[];
  /** The turns the prompt renders (the system prompt and the history kept). */
  turns: ChatTurn[];
}

/** Applies the budget; throws EngineError('context_overflow') if the new message alone cannot fit. */
export function fitToContext(
  messages: ChatTurn[],
  render: (turns: ChatTurn[]) => Rendered,
  limits: BudgetLimits,
): BudgetedPrompt {
  const system = messages[0]?.role === 'system' ? [messages[0]] : [];
  const history = messages.slice(system.length);
  const budget = limits.contextSize - limits.answerBudget;
  if (history.length === 0) throw new EngineError('internal', 'A chat request needs a message to answer.');
  if (budget <= 0) {
    throw new EngineError(
      'context_overflow',
      `The answer budget (${limits.answerBudget} tokens) leaves no room for a prompt in the ` +
        `${limits.contextSize}-token context. Lower maxTokens or MAX_TOKENS, or raise CONTEXT_SIZE.`,
    );
  }
  const attempt = (start: number): BudgetedPrompt => planFor(system, history, start, render);
  const full = attempt(0);
  if (full.tokens.length <= budget) return full;

  const newest = attempt(history.length - 1);
  if (newest.tokens.length > budget) throw overflow(newest.tokens.length, budget, limits, system.length > 0);

  // Start the kept history at a user turn, so templates that insist on user/assistant
  // alternation still render; more kept turns never cost fewer tokens, so binary search.
  const starts = history.map((turn, i) => (turn.role === 'user' ? i : -1)).filter((i) => i > 0);
  if (starts.at(-1) !== history.length - 1) starts.push(history.length - 1);
  let low = 0;
  let high = starts.length - 1;
  let best = newest;
  while (low < high) {
    const mid = (low + high) >> 1;
    const candidate = attempt(starts[mid]!);
    if (candidate.tokens.length <= budget) {
      best = candidate;
      high = mid;
    } else {
      low = mid + 1;
    }
  }
  return { ...best, plan: { ...best.plan, fullPromptTokens: full.tokens.length } };
}

function planFor(
  system: ChatTurn[],
  history: ChatTurn[],
  start: number,
  render: (turns: ChatTurn[]) => Rendered,
): BudgetedPrompt {
  const kept = [...system, ...history.slice(start)];
  const rendered = render(kept);
  return {
    tokens: rendered.tokens,
    turns: kept,
    plan: {
      prompt: rendered.text,
      promptTokens: rendered.tokens.length,
      includedMessages: kept.length,
      droppedMessages: start,
    },
  };
}

function overflow(needed: number, budget: number, limits: BudgetLimits, hasSystem: boolean): EngineError {
  const excess = needed - budget;
  return new EngineError(
    'context_overflow',
    `Your message is too long: ${hasSystem ? 'with the system prompt it' : 'it'} needs ${needed} tokens, but ` +
      `only ${budget} fit (a ${limits.contextSize}-token context minus ${limits.answerBudget} reserved for the answer). ` +
      `Shorten it by at least ${excess} tokens (roughly ${excess * 4} characters)` +
      `${hasSystem ? ' or use a shorter system prompt' : ''}, or ask for a shorter answer.`,
  );
}
