import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { EngineError } from '../../engine/engine.js';
import { AppError } from '../../errors.js';
import type { OpenAiErrorBody, OpenAiErrorType } from '../../../shared/contract/openai.js';

/** An error for an OpenAI client: sent as `{error: {message, type, param, code}}` with its status. */
export class OpenAiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly type: OpenAiErrorType,
    readonly code: string | null,
    message: string,
    /** The request field at fault, e.g. `messages.[0].content`. */
    readonly param: string | null = null,
    /** Seconds for a Retry-After header (429, 503). */
    readonly retryAfterSec?: number,
  ) {
    super(message);
    this.name = 'OpenAiError';
  }
}

export const invalidApiKey = (message: string) =>
  new OpenAiError(401, 'invalid_request_error', 'invalid_api_key', message);
export const invalidRequest = (message: string, param: string | null = null, code: string | null = null) =>
  new OpenAiError(400, 'invalid_request_error', code, message, param);
export const modelNotFound = (id: string) =>
  new OpenAiError(
    404,
    'invalid_request_error',
    'model_not_found',
    `The model '${id}' does not exist or you do not have access to it.`,
    'model',
  );

export function openAiErrorBody(error: OpenAiError): OpenAiErrorBody {
  return { error: { message: error.message, type: error.type, param: error.param, code: error.code } };
}

/** The portal's own codes where OpenAI has a name of its own for the same thing. */
const OPENAI_CODE: Record<string, string> = {
  busy: 'rate_limit_exceeded',
  context_overflow: 'context_length_exceeded',
  throttled: 'rate_limit_exceeded',
  rate_limited: 'rate_limit_exceeded',
};

export function fromAppError(error: AppError): OpenAiError {
  const type: OpenAiErrorType =
    error.statusCode >= 500 ? 'server_error' : error.statusCode === 429 ? 'rate_limit_error' : 'invalid_request_error';
  return new OpenAiError(
    error.statusCode,
    type,
    OPENAI_CODE[error.code] ?? error.code,
    error.message,
    null,
    error.retryAfterSec,
  );
}

/** The engine's refusals as OpenAI names them: a full queue is a 429, an unfit prompt a 400. */
export function fromEngineError(error: EngineError): OpenAiError {
  switch (error.code) {
    case 'busy':
      return new OpenAiError(
        429,
        'rate_limit_error',
        'rate_limit_exceeded',
        error.message,
        null,
        Math.max(1, Math.ceil((error.retryAfterMs ?? 1000) / 1000)),
      );
    case 'context_overflow':
      return invalidRequest(error.message, 'messages', 'context_length_exceeded');
    case 'invalid_grammar':
      return invalidRequest(error.message, 'response_format');
    case 'model_unavailable':
      return new OpenAiError(503, 'server_error', 'model_unavailable', error.message, null, 5);
    default:
      return new OpenAiError(500, 'server_error', null, error.message);
  }
}

/** `/messages/0/content` and a missing `role` → `messages.[0].content.role`, as OpenAI names params. */
function paramOf(error: FastifyError): string | null {
  const first = error.validation?.[0];
  if (!first) return null;
  const missing = (first.params as Record<string, unknown>).missingProperty;
  const parts = first.instancePath.split('/').filter(Boolean);
  if (typeof missing === 'string') parts.push(missing);
  const param = parts.map((p) => (/^\d+$/.test(p) ? `[${p}]` : p)).join('.');
  return param === '' ? null : param;
}

function fromValidation(error: FastifyError): OpenAiError {
  const param = paramOf(error);
  const first = error.validation?.[0];
  if (param !== null && typeof (first?.params as Record<string, unknown> | undefined)?.missingProperty === 'string') {
    return invalidRequest(`Missing required parameter: '${param}'.`, param);
  }
  const what = param === null ? `the ${error.validationContext ?? 'request'}` : `'${param}'`;
  return invalidRequest(`Invalid value for ${what}: ${first?.message ?? 'not allowed'}.`, param);
}

/** The error handler of /v1: every failure in OpenAI's shape; 5xx details stay in the log. */
export function sendOpenAiError(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) {
  let openAi: OpenAiError;
  if (error instanceof OpenAiError) openAi = error;
  else if (error instanceof AppError) openAi = fromAppError(error);
  else if (error instanceof EngineError) openAi = fromEngineError(error);
  else if ((error as FastifyError).validation) openAi = fromValidation(error as FastifyError);
  else {
    const status = (error as FastifyError).statusCode ?? 500;
    if (status >= 400 && status < 500) openAi = new OpenAiError(status, 'invalid_request_error', null, error.message);
    else {
      request.log.error({ err: error }, 'request failed');
      openAi = new OpenAiError(
        500,
        'server_error',
        null,
        'The server had an error while processing your request. It has been logged.',
      );
    }
  }
  if (openAi.retryAfterSec !== undefined) reply.header('Retry-After', String(openAi.retryAfterSec));
  return reply.code(openAi.statusCode).send(openAiErrorBody(openAi));
}

/** OpenAI's answer to a path it does not serve. */
export async function routeNotFound(request: FastifyRequest, reply: FastifyReply) {
  const path = request.url.split('?')[0];
  return reply
    .code(404)
    .send(
      openAiErrorBody(new OpenAiError(404, 'invalid_request_error', null, `Invalid URL (${request.method} ${path})`)),
    );
}
