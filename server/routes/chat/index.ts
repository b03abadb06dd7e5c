import websocket from '@fastify/websocket';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { forbidden } from '../../errors.js';
import { ACCESS_COOKIE } from '../../auth/cookies.js';
import { originAllowed } from '../../plugins/same-origin.js';
import { createChatService } from '../../services/chat-service.js';
import { identify, runSocketSession } from './socket-session.js';
import fp from 'fastify-plugin';

/** Largest frame accepted; longer messages are refused by MAX_MESSAGE_CHARS with an error frame first. */
export const MAX_FRAME_BYTES = 1024 * 1024;

const chatRoutes: FastifyPluginAsync = async (app) => {
  const { config } = app;
  await app.register(websocket, { options: { maxPayload: MAX_FRAME_BYTES } });
  const chat = createChatService({
    db: app.db,
    engine: app.engine,
    cache: app.responseCache,
    config,
    log: app.log.child({ component: 'chat' }),
    answers: app.answers,
  });

  const cookieIdentities = new WeakMap<FastifyRequest, Awaited<ReturnType<typeof identify>>>();

  app.get(
    '/ws',
    {
      websocket: true,
      preValidation: async (request) => {
        if (!originAllowed(request, config))
          throw forbidden('This page may not open a chat socket here (cross-site Origin).');
        const cookie = request.cookies[ACCESS_COOKIE];
        if (cookie) cookieIdentities.set(request, await identify(app, cookie));
      },
    },
    // Synchronous on purpose: listeners must be attached before the first frame can arrive.
    (socket, request) => {
      runSocketSession(
        app,
        config,
        chat,
        socket,
        cookieIdentities.get(request) ?? null,
        request.headers.origin !== undefined,
      );
    },
  );
};

export default fp(chatRoutes, {
  name: 'chat-routes',
  encapsulate: true,
  dependencies: ['auth', 'services', 'inference', 'cache'],
});
