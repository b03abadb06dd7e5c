import type { FastifyError } from 'fastify';
import { EngineError } from './engine/engine.js';
import { AppError, type ErrorCode } from './errors.js';
import { RateLimitError } from './quota/rate-limit-error.js';
import type { RateLimitKind } from '../shared/contract/errors.js';

/** What a client is told about a failure, on HTTP (`{error}` body) and on the socket (`error` frame) alike. */
export interface ClientError {
  code: ErrorCode;
  message: string;
  /** When to try again (busy, throttled, server_restarting); HTTP sends it as Retry-After in whole seconds. */
  retryAfterMs?: number;
  /** With rate_limited: which limit was hit. */
  limit?: RateLimitKind;
}

export interface MappedError {
  status: number;
  error: ClientError;
}

/** The subset of a pino logger that a failure is written to. */
interface ErrorLog {
  error(obj: object, msg?: string): void;
}

export interface MapOptions {
  /** Where server faults (5xx) are written; their details never reach the client. */
  log: ErrorLog;
  /** Said instead of an unknown failure's message. Defaults to a generic "logged" message. */
  internalMessage?: string;
  /** The log line of an unknown failure. Defaults to "request failed". */
  logMessage?: string;
}

const STATUS_BY_CODE: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  throttled: 429,
  rate_limited: 429,
  context_overflow: 400,
  invalid_grammar: 400,
  not_ready: 503,
  busy: 503,
  model_unavailable: 503,
  server_restarting: 503,
  internal: 500,
};

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: 'bad_request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  414: 'bad_request',
  415: 'unsupported_media_type',
  429: 'throttled',
  503: 'not_ready',
};

const INTERNAL_MESSAGE = 'Something went wrong on the server. It has been logged.';

/**
 * The one mapping from any failure to what the client sees. Errors made for the client
 * (AppError, EngineError, request validation, Fastify's 4xx) keep their code and message;
 * anything else is a server fault: logged with its details, reported as `internal`.
 */
export function toClientError(error: unknown, options: MapOptions): MappedError {
  if (error instanceof RateLimitError) {
    const client: ClientError = { code: error.code, message: error.message, retryAfterMs: error.retryAfterMs };
    return { status: 429, error: error.limit ? { ...client, limit: error.limit } : client };
  }
  if (error instanceof AppError) {
    return {
      status: error.statusCode,
      error: withRetry(
        { code: error.code, message: error.message },
        error.retryAfterSec === undefined ? undefined : error.retryAfterSec * 1000,
      ),
    };
  }
  if (error instanceof EngineError) {
    return {
      status: STATUS_BY_CODE[error.code],
      error: withRetry({ code: error.code, message: error.message }, error.retryAfterMs),
    };
  }
  const fastifyError = error as Partial<FastifyError> | null;
  if (fastifyError?.validation) {
    return { status: 400, error: { code: 'bad_request', message: validationMessage(fastifyError as FastifyError) } };
  }
  // A path the static files refuse (`..`, a name too long for the file system) is simply not there.
  if (fastifyError?.code === 'FST_STATIC_FORBIDDEN_PATH') {
    return { status: 404, error: { code: 'not_found', message: 'Not found.' } };
  }
  const status = fastifyError?.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    return {
      status,
      error: { code: CODE_BY_STATUS[status] ?? 'bad_request', message: clientMessage(fastifyError as FastifyError) },
    };
  }
  options.log.error({ err: error }, options.logMessage ?? 'request failed');
  return { status: 500, error: { code: 'internal', message: options.internalMessage ?? INTERNAL_MESSAGE } };
}

/** Whole seconds for a Retry-After header, rounded up so a client never comes back too early. */
export const retryAfterSec = (error: ClientError): number | undefined =>
  error.retryAfterMs === undefined ? undefined : Math.ceil(error.retryAfterMs / 1000);

function withRetry(error: ClientError, retryAfterMs: number | undefined): ClientError {
  return retryAfterMs === undefined ? error : { ...error, retryAfterMs };
}

/** "body.password: must NOT have fewer than 8 characters" — names the field, not just the rule. */
function validationMessage(error: FastifyError): string {
  const first = error.validation?.[0];
  const where = error.validationContext ?? 'request';
  if (!first) return `Invalid ${where}.`;
  const field = [where, ...first.instancePath.split('/').filter(Boolean)].join('.');
  // TypeBox names every unknown or missing property of an object in one error; ajv one per error.
  const unknown = listed(error, 'additionalProperties') ?? named(error, 'additionalProperty');
  if (unknown) return `Unknown field "${unknown}" in ${field}.`;
  const missing = listed(error, 'requiredProperties') ?? named(error, 'missingProperty');
  if (missing) return `Missing field "${missing}" in ${field}.`;
  return `Invalid ${field}: ${first.message ?? 'not allowed'}.`;
}

function listed(error: FastifyError, param: string): string | undefined {
  for (const issue of error.validation ?? []) {
    const names = (issue.params as Record<string, unknown>)[param];
    if (Array.isArray(names) && typeof names[0] === 'string') return names[0];
  }
  return undefined;
}

function named(error: FastifyError, param: string): string | undefined {
  const name = (error.validation?.[0]?.params as Record<string, unknown> | undefined)?.[param];
  return typeof name === 'string' ? name : undefined;
}

function clientMessage(error: FastifyError): string {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'The request body is too large.';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'Send the body as application/json.';
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'The JSON body is empty.';
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return 'The body is not valid JSON.';
    case 'FST_ERR_BAD_URL':
      return 'The URL is not valid (bad %-encoding).';
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return 'The URL is too long.';
    default:
      return error.message;
  }
}
