import type { FastifyInstance, FastifyReply } from 'fastify';
import { QuotaRefused, type LimitState, type QuotaState } from '../../quota/rate-limit-error.js';
import type { Admission, QuotaUser } from '../../services/quota-service.js';

/** OpenAI's x-ratelimit-* headers for one counter; an unlimited counter sends none. */
function setHeaders(reply: FastifyReply, name: 'requests' | 'tokens', state: LimitState): void {
  if (state.limit === null) return;
  reply.header(`x-ratelimit-limit-${name}`, String(state.limit));
  reply.header(`x-ratelimit-remaining-${name}`, String(state.remaining ?? 0));
  reply.header(`x-ratelimit-reset-${name}`, `${Math.ceil(state.resetMs / 1000)}s`);
}

export function setRateLimitHeaders(reply: FastifyReply, state: QuotaState): void {
  setHeaders(reply, 'requests', state.requests);
  setHeaders(reply, 'tokens', state.tokens);
}

/**
 * The per-user limits for one /v1 request, in one call before anything is queued or stored:
 * sets OpenAI's x-ratelimit-* headers, and on a refusal throws (429 rate_limited, Retry-After
 * set by the error handler). The concurrency slot is given back when the response ends.
 * Clamp the request's max_tokens with the returned admission's `clampMaxTokens`.
 */
export async function admitOrRefuse(app: FastifyInstance, user: QuotaUser, reply: FastifyReply): Promise<Admission> {
  let admission: Admission;
  try {
    admission = await app.quota.admit(user);
  } catch (error) {
    if (error instanceof QuotaRefused) setRateLimitHeaders(reply, error.state);
    throw error;
  }
  setRateLimitHeaders(reply, admission.state);
  reply.raw.once('close', () => admission.release());
  return admission;
}
