import fp from 'fastify-plugin';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { retryAfterSec, toClientError } from '../client-error.js';
import { errorBody } from '../errors.js';

/** Turns every failure into the contract's `{error: {code, message}}`; 5xx details stay in the log. */
export function sendError(error: unknown, request: FastifyRequest, reply: FastifyReply) {
  const { status, error: client } = toClientError(error, { log: request.log });
  const retryAfter = retryAfterSec(client);
  if (retryAfter !== undefined) reply.header('Retry-After', String(retryAfter));
  return reply.code(status).send(errorBody(client.code, client.message));
}

export default fp(
  async (app) => {
    app.setErrorHandler((error: FastifyError, request, reply) => sendError(error, request, reply));
  },
  { name: 'error-handler' },
);
