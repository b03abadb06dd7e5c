/**
 * Phase 3: conversations of N turns on one socket, nothing else running. From turn 2 on a
 * conversation's sequence is still resident, so the engine should evaluate only the tokens the
 * turn adds (the end of the previous answer, the new message); turn N's first token is compared
 * with turn 1's. Several conversations go turn by turn in step (A1 B1 C1 A2 B2 …: one request at
 * a time), so each turn's median is taken over samples that saw the same machine load.
 * Run twice: back to back (no time between an answer and the next request), and with a pause
 * before every request as a user reading the answer would leave — the engine uses such idle
 * time to evaluate what the conversation's next turn starts with.
 */
import { describeStream, log } from './log.js';
import type { BenchPlan } from './plan.js';
import { expectAnswered, toPortalStream, type PortalStream } from './portal-stream.js';
import type { TimedClient } from './timed-client.js';

export interface TurnResult extends PortalStream {
  turn: number;
  /** Which of the conversations (0-based). */
  conversation: number;
}

export async function runConversation(plan: BenchPlan, client: TimedClient, readingMs = 0): Promise<TurnResult[]> {
  const turns: TurnResult[] = [];
  const ids: Array<string | undefined> = Array.from({ length: plan.conversations });
  for (let turn = 1; turn <= plan.turns; turn++) {
    for (let conversation = 0; conversation < plan.conversations; conversation++) {
      // A unique first line: turn 1 must not find its prompt in a sequence left by another.
      const content = `Conversation ${conversation + 1}, turn ${turn}. ${plan.prompt}`;
      if (readingMs > 0) await new Promise((resolve) => setTimeout(resolve, readingMs));
      const answer = await client.chat(
        content,
        { temperature: 0, maxTokens: plan.maxTokens, noCache: true },
        ids[conversation],
        plan.answerTimeoutMs,
      );
      ids[conversation] ??= answer.conversationId ?? undefined;
      const stream = expectAnswered(toPortalStream(answer), `conversation ${conversation + 1} turn ${turn}`);
      log(
        `  ${describeStream(`conversation ${conversation + 1} turn ${turn}`, stream)}, ${stream.cachedPromptTokens} of ${stream.promptTokens} prompt tokens reused`,
      );
      turns.push({ turn, conversation, ...stream });
    }
  }
  return turns;
}
