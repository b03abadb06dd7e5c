import http from 'node:http';
import type { Socket } from 'node:net';
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
  414: 'bad_request',
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
  // A path the static files refuse (`..`, a name too long for the file system) is simply not there.
  if (fastifyError.code === 'FST_STATIC_FORBIDDEN_PATH') {
    return reply.code(404).send(errorBody('not_found', 'Not found.'));
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
  const field = [where, ...first.instancePath.split('/').filter(Boolean)].join('.');
  // TypeBox names every unknown or missing property of an object in one error.
  const unknown = listed(error, 'additionalProperties');
  if (unknown) return `Unknown field "${unknown}" in ${field}.`;
  const missing = listed(error, 'requiredProperties');
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

/**
 * Requests Node's HTTP parser refuses before Fastify sees them (headers over the size limit,
 * malformed requests) still get the contract's body.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, message] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'The request headers (or the URL) are too large.']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'The request took too long to arrive.']
        : [400, 'The request is malformed.'];
  const body = JSON.stringify(errorBody('bad_request', message));
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Cache-Control: no-store\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

export default fp(
  async (app) => {
    app.setErrorHandler((error: FastifyError, request, reply) => sendError(error, request, reply));
  },
  { name: 'error-handler' },
);
