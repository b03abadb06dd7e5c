import { AppError } from '../errors.js';
import type { RateLimitKind } from '../../shared/contract/errors.js';

const WHAT: Record<RateLimitKind, string> = {
  requests: 'requests per minute',
  tokens: 'tokens per day',
  concurrent: 'answers at once',
};

/** A request over one of its user's limits (or the per-address limit): 429 `rate_limited`. */
export class RateLimitError extends AppError {
  constructor(
    /** Which limit; absent for the per-address REST limit. */
    readonly limit: RateLimitKind | undefined,
    readonly retryAfterMs: number,
    message = limit ? `You have reached your limit of ${WHAT[limit]}.` : 'Too many requests from this address.',
  ) {
    super(429, 'rate_limited', message, Math.ceil(retryAfterMs / 1000));
    this.name = 'RateLimitError';
  }
}

/** One limit's state, for OpenAI's x-ratelimit-* headers; limit null = unlimited. */
export interface LimitState {
  limit: number | null;
  remaining: number | null;
  /** Until the window (requests) or the day (tokens) starts again. */
  resetMs: number;
}

export interface QuotaState {
  requests: LimitState;
  tokens: LimitState;
}

/** A request refused by one of its user's limits, with the state of both counters. */
export class QuotaRefused extends RateLimitError {
  constructor(
    limit: RateLimitKind,
    retryAfterMs: number,
    readonly state: QuotaState,
  ) {
    super(limit, retryAfterMs);
    this.name = 'QuotaRefused';
  }
}
