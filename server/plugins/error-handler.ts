import fp from 'fastify-plugin';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, errorBody, type ErrorCode } from '../errors.js';

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: 'bad_request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'throttled',
  503: 'not_ready',
};

/** Turns every failure into the contract's `{error: {code, message}}`; 5xx details stay in the log. */
export function sendError(error: FastifyError | AppError | Error, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof AppError) {
    if (error.retryAfterSec !== undefined) reply.header('Retry-After', String(error.retryAfterSec));
    return reply.code(error.statusCode).send(errorBody(error.code, error.message));
  }
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) {
    return reply.code(400).send(errorBody('bad_request', validationMessage(fastifyError)));
  }
  const status = fastifyError.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    return reply.code(status).send(errorBody(CODE_BY_STATUS[status] ?? 'bad_request', clientMessage(fastifyError)));
  }
  request.log.error({ err: error }, 'request failed');
  return reply.code(500).send(errorBody('internal', 'Something went wrong on the server. It has been logged.'));
}

/** "body.password: must NOT have fewer than 8 characters" — names the field, not just the rule. */
function validationMessage(error: FastifyError): string {
  const first = error.validation?.[0];
  const where = error.validationContext ?? 'request';
  if (!first) return `Invalid ${where}.`;
  const params = first.params as Record<string, unknown>;
  const field = [where, ...first.instancePath.split('/').filter(Boolean)].join('.');
  if (typeof params.additionalProperty === 'string') return `Unknown field "${params.additionalProperty}" in ${field}.`;
  if (typeof params.missingProperty === 'string') return `Missing field "${params.missingProperty}" in ${field}.`;
  return `Invalid ${field}: ${first.message ?? 'not allowed'}.`;
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
    default:
      return error.message;
  }
}

export default fp(
  async (app) => {
    app.setErrorHandler((error: FastifyError, request, reply) => sendError(error, request, reply));
  },
  { name: 'error-handler' },
);
