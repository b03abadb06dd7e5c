/** A portal answer reduced to the figures that are compared with the direct baseline. */
import { decodeRate } from './stats.js';
import type { TimedAnswer } from './timed-client.js';

export interface PortalStream {
  /** Client side: chat frame sent → first token frame. */
  ttftMs: number | null;
  /** Client side: completion tokens after the first, over first → last token frame. */
  decodeTokensPerSecond: number | null;
  /** Client side: sent → done (or error) frame. */
  totalMs: number;
  completionTokens: number;
  promptTokens: number;
  /** Prompt tokens whose KV cache the engine kept from the sequence's previous answer. */
  cachedPromptTokens: number;
  tokenFrames: number;
  finishReason: string | null;
  cached: boolean;
  /** The server's own figures from the done frame. */
  server: { queueMs: number; ttftMs: number; totalMs: number; tokensPerSecond: number } | null;
  error: string | null;
}

export function toPortalStream(answer: TimedAnswer): PortalStream {
  const done = answer.done;
  const completionTokens = done?.usage.completionTokens ?? 0;
  return {
    ttftMs: answer.firstTokenAt === null ? null : answer.firstTokenAt - answer.sentAt,
    decodeTokensPerSecond: decodeRate(completionTokens, answer.firstTokenAt, answer.lastTokenAt),
    totalMs: answer.endAt - answer.sentAt,
    completionTokens,
    promptTokens: done?.usage.promptTokens ?? 0,
    cachedPromptTokens: done?.usage.cachedPromptTokens ?? 0,
    tokenFrames: answer.tokenFrames,
    finishReason: done?.finishReason ?? null,
    cached: done?.cached ?? false,
    server: done?.timings ?? null,
    error: answer.error ? `${answer.error.code}: ${answer.error.message}` : null,
  };
}

/** Throws with the portal's error when an answer failed: a broken run must not pass as a figure. */
export function expectAnswered(stream: PortalStream, what: string): PortalStream {
  if (stream.error !== null) throw new Error(`${what} failed: ${stream.error}`);
  return stream;
}
