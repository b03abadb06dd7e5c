import websocket from '@fastify/websocket';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { forbidden } from '../../errors.js';
import { ACCESS_COOKIE } from '../../auth/cookies.js';
import { originAllowed } from '../../plugins/same-origin.js';
import { createChatService, type ChatService } from '../../services/chat-service.js';
import { serverRestarting, type Drain } from '../../services/drain.js';
import { toClientError } from '../../client-error.js';
import { identify, runSocketSession } from './socket-session.js';
import fp from 'fastify-plugin';
import type { WebSocket } from 'ws';

/** Close code for "the server is restarting; reconnect later" (RFC 6455's service restart). */
export const CLOSE_SERVICE_RESTART = 1012;

/** Largest frame accepted; longer messages are refused by MAX_MESSAGE_CHARS with an error frame first. */
export const MAX_FRAME_BYTES = 1024 * 1024;

const chatRoutes: FastifyPluginAsync = async (app) => {
  const { config } = app;
  await app.register(websocket, { options: { maxPayload: MAX_FRAME_BYTES } });
  const chat = drainable(
    app.drain,
    createChatService({
      db: app.db,
      engine: app.engine,
      cache: app.responseCache,
      config,
      log: app.log.child({ component: 'chat' }),
      answers: app.answers,
    }),
  );

  const cookieIdentities = new WeakMap<FastifyRequest, Awaited<ReturnType<typeof identify>>>();

  app.get(
    '/ws',
    {
      websocket: true,
      preValidation: async (request) => {
        if (app.drain.draining) throw serverRestarting();
        if (!originAllowed(request, config))
          throw forbidden('This page may not open a chat socket here (cross-site Origin).');
        const cookie = request.cookies[ACCESS_COOKIE];
        if (cookie) cookieIdentities.set(request, await identify(app, cookie));
      },
    },
    // Synchronous on purpose: listeners must be attached before the first frame can arrive.
    (socket, request) => {
      closeOnRestart(app.drain, socket);
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

/**
 * The chat service as the shutdown sees it: refused while draining, otherwise each answer is
 * tracked so the shutdown can wait for it, and cut it when the grace period ends.
 */
function drainable(drain: Drain, chat: ChatService): ChatService {
  return {
    run(userId, request, send, signal) {
      if (drain.draining) {
        send({ type: 'error', id: request.id, ...restartingError() });
        return Promise.resolve();
      }
      return drain.track(signal, (run) =>
        chat.run(
          userId,
          request,
          (frame) => {
            if (frame.type === 'start') run.started();
            send(frame);
          },
          run.signal,
        ),
      );
    },
  };
}

/** Once the shutdown's answers have ended, the client is told to come back later, then the socket closes. */
function closeOnRestart(drain: Drain, socket: WebSocket): void {
  const close = () =>
    new Promise<void>((resolve) => {
      socket.once('close', () => resolve());
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify({ type: 'error', ...restartingError() }));
      socket.close(CLOSE_SERVICE_RESTART, 'service restart');
    });
  // Upgraded just as the drain began: refused at once rather than left open.
  if (drain.draining) return void close();
  socket.once('close', drain.addSocket(close));
}

/** The server_restarting error as the client sees it (with retryAfterMs). */
const restartingError = () => toClientError(serverRestarting(), { log: { error: () => undefined } }).error;

export default fp(chatRoutes, {
  name: 'chat-routes',
  encapsulate: true,
  dependencies: ['auth', 'services', 'inference', 'cache'],
});
