/**
 * Phase 3: one conversation of N turns on one socket, nothing else running. From turn 2 on the
 * conversation's sequence is still resident, so the engine should evaluate only the tokens the
 * turn adds (the previous answer as stored, the new message); turn N's first token is compared
 * with turn 1's.
 */
import { describeStream, log } from './log.js';
import type { BenchPlan } from './plan.js';
import { expectAnswered, toPortalStream, type PortalStream } from './portal-stream.js';
import type { TimedClient } from './timed-client.js';

export interface TurnResult extends PortalStream {
  turn: number;
}

export async function runConversation(plan: BenchPlan, client: TimedClient): Promise<TurnResult[]> {
  const turns: TurnResult[] = [];
  let conversationId: string | undefined;
  for (let turn = 1; turn <= plan.turns; turn++) {
    // "Turn n." first: turn 1 must not find its prompt in a sequence left by an earlier phase.
    const answer = await client.chat(`Turn ${turn}. ${plan.prompt}`, { temperature: 0, maxTokens: plan.maxTokens, noCache: true }, conversationId, plan.answerTimeoutMs);
    conversationId ??= answer.conversationId ?? undefined;
    const stream = expectAnswered(toPortalStream(answer), `conversation turn ${turn}`);
    log(`  ${describeStream(`turn ${turn}`, stream)}, ${stream.cachedPromptTokens} of ${stream.promptTokens} prompt tokens reused`);
    turns.push({ turn, ...stream });
  }
  return turns;
}
