import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { createConversationService } from '../../services/conversation-service.js';
import {
  ConversationFieldsBody,
  ConversationListQuery,
  ConversationPage,
  ConversationPatchBody,
  ConversationReply,
  ConversationWithMessages,
  ExportQuery,
} from '../../../shared/contract/conversations.js';
import { authErrors } from '../../../shared/contract/errors.js';
import { IdParams } from '../../../shared/contract/ids.js';
import { attachmentHeader } from './content-disposition.js';

/** /api/conversations: each signed-in user reads and changes only their own conversations. */
const conversationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addHook('onRequest', app.authenticate);
  const conversations = createConversationService(app.db);
  const userId = (request: { auth: { id: string } | null }) => request.auth!.id;

  app.get(
    '/',
    { schema: { querystring: ConversationListQuery, response: { 200: ConversationPage, ...authErrors } } },
    async (request) => conversations.list(userId(request), request.query),
  );

  app.post(
    '/',
    {
      schema: { body: ConversationFieldsBody, response: { 201: ConversationReply, ...authErrors } },
      // A POST with no body at all makes a blank conversation, as `{}` does.
      preValidation: async (request) => {
        request.body ??= {};
      },
    },
    async (request, reply) => {
      const conversation = await conversations.create(userId(request), request.body);
      return reply.code(201).send({ conversation });
    },
  );

  app.get(
    '/:id',
    { schema: { params: IdParams, response: { 200: ConversationWithMessages, ...authErrors } } },
    async (request) => conversations.getWithMessages(userId(request), request.params.id),
  );

  app.patch(
    '/:id',
    { schema: { params: IdParams, body: ConversationPatchBody, response: { 200: ConversationReply, ...authErrors } } },
    async (request) => ({ conversation: await conversations.update(userId(request), request.params.id, request.body) }),
  );

  app.delete(
    '/:id',
    { schema: { params: IdParams, response: { 204: Type.Null(), ...authErrors } } },
    async (request, reply) => {
      await conversations.remove(userId(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/:id/export',
    {
      schema: {
        params: IdParams,
        querystring: ExportQuery,
        // The body is the finished file, sent as text; only errors go through a serializer.
        response: { 200: Type.String({ description: 'The JSON or Markdown file' }), ...authErrors },
      },
    },
    async (request, reply) => {
      const file = await conversations.exportConversation(
        userId(request),
        request.params.id,
        request.query.format ?? 'json',
      );
      return reply
        .header('content-type', file.contentType)
        .header('content-disposition', attachmentHeader(file.filename))
        .header('cache-control', 'no-store')
        .send(file.body);
    },
  );
};

export default conversationRoutes;
