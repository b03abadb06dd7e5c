import { Type, type Static } from 'typebox';

/** Every machine code an error can carry to a client, over HTTP or the chat socket. */
export const ERROR_CODES = [
  'bad_request',
  'unauthenticated',
  'invalid_credentials',
  'forbidden',
  'not_found',
  'conflict',
  'payload_too_large',
  'unsupported_media_type',
  'throttled',
  'rate_limited',
  'not_ready',
  'busy',
  'context_overflow',
  'invalid_grammar',
  'model_unavailable',
  'server_restarting',
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export const ErrorCodeSchema = Type.Enum([...ERROR_CODES]);

/** With `rate_limited`: which of the caller's limits was hit. */
export const RATE_LIMIT_KINDS = ['requests', 'tokens', 'concurrent'] as const;
export type RateLimitKind = (typeof RATE_LIMIT_KINDS)[number];
export const RateLimitKind = Type.Enum([...RATE_LIMIT_KINDS]);

/** The body of every 4xx/5xx REST answer. */
export const ErrorBody = Type.Object({
  error: Type.Object({ code: ErrorCodeSchema, message: Type.String() }),
});
export type ErrorBody = Static<typeof ErrorBody>;

/** Error responses every authenticated route can give. */
export const authErrors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };
