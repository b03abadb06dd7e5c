import type { FastifyReply, FastifyRequest } from 'fastify';
import { errorBody } from '../errors.js';

export async function notFoundHandler(request: FastifyRequest, reply: FastifyReply) {
  return reply.code(404).send(errorBody('not_found', `No route for ${request.method} ${request.url.split('?')[0]}.`));
}
