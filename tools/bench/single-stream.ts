/**
 * Phase 1: one stream at a time, the portal against direct node-llama-cpp, interleaved pair by
 * pair so both see the same machine load. Two kinds of pairs:
 * - cold: the whole 25-token prompt is evaluated (direct clears its sequence; the portal's
 *   request starts a new conversation, which takes an empty sequence);
 * - warm: the sequence already holds the same prompt, so both evaluate only its last token
 *   (the portal regenerates the last answer of a conversation whose sequence is resident;
 *   direct keeps its sequence's prompt).
 * A direct run without the repeat penalty shows what the portal's sampling settings cost.
 */
import type { DirectBaseline } from './direct.js';
import type { DirectStream } from './direct-protocol.js';
import { describeStream, log } from './log.js';
import type { BenchPlan } from './plan.js';
import { expectAnswered, toPortalStream, type PortalStream } from './portal-stream.js';
import type { TimedClient } from './timed-client.js';

/** The portal's fixed sampling (server/engine/host/sampling.ts): its repeat penalty is not a client option. */
export const PORTAL_REPEAT_PENALTY = 1.1;

export interface SingleStreamResult {
  cold: { direct: DirectStream[]; portal: PortalStream[] };
  warm: { direct: DirectStream[]; portal: PortalStream[] };
  /** Direct, greedy without the repeat penalty (prefix reused). */
  directNoPenalty: DirectStream[];
}

export async function runSingleStream(
  plan: BenchPlan,
  direct: DirectBaseline,
  client: TimedClient,
): Promise<SingleStreamResult> {
  const timeout = plan.answerTimeoutMs;
  const sampling = { maxTokens: plan.maxTokens, repeatPenalty: PORTAL_REPEAT_PENALTY };
  const options = { temperature: 0, maxTokens: plan.maxTokens, noCache: true };
  let conversationId: string | null = null;
  const portal = async (what: string, regenerate = false) => {
    const answer =
      regenerate && conversationId !== null
        ? await client.regenerate(conversationId, options, timeout)
        : await client.chat(plan.prompt, options, undefined, timeout);
    conversationId = answer.conversationId;
    const stream = expectAnswered(toPortalStream(answer), what);
    log(`  ${describeStream(what, stream)}, ${stream.cachedPromptTokens} prompt tokens reused`);
    return stream;
  };
  const baseline = async (what: string, options: typeof sampling & { reusePrefix: boolean }) => {
    const stream = await direct.single(options, timeout);
    log(`  ${describeStream(what, stream)}, ${stream.reusedTokens} prompt tokens reused`);
    return stream;
  };

  // Warm-up: loads pages, JIT-compiles both paths.
  await baseline('direct warm-up', { ...sampling, reusePrefix: false });
  await portal('portal warm-up');

  const result: SingleStreamResult = {
    cold: { direct: [], portal: [] },
    warm: { direct: [], portal: [] },
    directNoPenalty: [],
  };
  for (let i = 1; i < plan.parallel; i++) {
    result.cold.direct.push(await baseline('direct, whole prompt', { ...sampling, reusePrefix: false }));
    const stream = await portal('portal, whole prompt');
    // Only a request on an empty sequence evaluates the whole prompt.
    (stream.cachedPromptTokens === 0 ? result.cold : result.warm).portal.push(stream);
  }
  for (let i = 0; i < plan.warmReps; i++) {
    result.warm.direct.push(await baseline('direct, prefix reused', { ...sampling, reusePrefix: true }));
    result.warm.portal.push(await portal('portal, prefix reused', true));
    if (i < plan.noPenaltyReps)
      result.directNoPenalty.push(
        await baseline('direct, no repeat penalty', { ...sampling, repeatPenalty: 1, reusePrefix: true }),
      );
  }
  return result;
}
