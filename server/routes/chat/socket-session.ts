import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import { toClientError } from '../../client-error.js';
import type { Config } from '../../config.js';
import { AppError, badRequest, unauthenticated } from '../../errors.js';
import { runAdmitted } from '../../services/admitted-chat.js';
import type { ChatService } from '../../services/chat-service.js';
import type { AccessEnd, TrackedSocket } from '../../services/session-tracker.js';
import type { PublicUser } from '../../services/user-service.js';
import { withoutServerPaths } from '../../models/public-hint.js';
import { createFrameSender } from './frame-sender.js';
import type { ClientChatFrame } from '../../../shared/contract/chat-frames.js';
import { parseFrame } from './frames.js';

/** A non-browser client must authenticate within 5 seconds (the contract's promise). */
export const AUTH_TIMEOUT_MS = 5000;
export const HEARTBEAT_MS = 30_000;
/** Requests one socket may have in flight at once; more wait for a `done` first. */
export const MAX_IN_FLIGHT = 4;
/** Close code for "authenticate again" (4000-4999 are the application's). */
export const CLOSE_UNAUTHENTICATED = 4401;

interface Identity {
  user: PublicUser;
  expiresAt: number;
  /** The sign-in the token belongs to (its `sid` claim), if it names one. */
  sessionId: string | undefined;
}

/** What a socket whose access the server ended is told before it closes. */
const ENDED: Record<AccessEnd, string> = {
  disabled: 'Your account was disabled; this connection is closed and running answers were stopped.',
  deleted: 'Your account was deleted; this connection is closed.',
  signed_out: 'You signed out; this connection is closed and running answers were stopped.',
  revoked: 'Your session was ended for your safety (a used sign-in token came back). Sign in again.',
};

/** One chat socket: authentication, frame dispatch, heartbeats and in-flight requests. */
export function runSocketSession(
  app: FastifyInstance,
  config: Config,
  chat: ChatService,
  socket: WebSocket,
  cookieIdentity: Identity | null,
  fromBrowser = false,
) {
  const inFlight = new Map<string, AbortController>();
  const sender = createFrameSender(socket, () => socket.terminate());
  const send = sender.send;
  let identity: Identity | null = null;
  let tracked: TrackedSocket | null = null;
  let alive = true;
  /** Every error frame goes through the one mapping the HTTP errors use. */
  const sendError = (error: unknown, id?: string) =>
    send({ type: 'error', ...(id ? { id } : {}), ...toClientError(error, { log: app.log }).error });

  const authenticate = (next: Identity) => {
    if (identity && identity.user.id !== next.user.id)
      return sendError(badRequest('A socket belongs to one user; open another for a different account.'));
    if (tracked) tracked.sessionId = next.sessionId;
    else {
      tracked = { userId: next.user.id, sessionId: next.sessionId, end: (reason) => refuse(ENDED[reason]) };
      app.sessions.open(tracked);
    }
    identity = next;
    send({ type: 'ready', user: next.user });
  };
  /** Tells the client why, stops its answers at once (stored as `stopped`), then closes. */
  const refuse = (message: string) => {
    sendError(unauthenticated(message));
    for (const controller of inFlight.values()) controller.abort();
    socket.close(CLOSE_UNAUTHENTICATED, 'unauthenticated');
  };

  const authTimer = setTimeout(
    () => identity || refuse('Send {"type":"auth","token":"<accessToken>"} within 5 seconds of connecting.'),
    AUTH_TIMEOUT_MS,
  );
  if (cookieIdentity) authenticate(cookieIdentity);
  // A browser with no valid cookie is told at once, so it refreshes and reconnects without
  // waiting out the auth timeout (browsers authenticate by cookie, not by an auth frame).
  else if (fromBrowser) refuse('Your session has expired. Refresh it and reconnect.');

  const heartbeat = setInterval(() => {
    // No pong since the last ping: the peer vanished without a close; free its work.
    if (!alive) return socket.terminate();
    alive = false;
    socket.ping();
  }, HEARTBEAT_MS);
  socket.on('pong', () => (alive = true));

  function startChat(frame: ClientChatFrame, user: PublicUser) {
    if (inFlight.has(frame.id))
      return sendError(badRequest(`Request id "${frame.id}" is already running; use a new id.`), frame.id);
    if (inFlight.size >= MAX_IN_FLIGHT)
      return sendError(
        new AppError(503, 'busy', `At most ${MAX_IN_FLIGHT} answers at once per connection.`, 1),
        frame.id,
      );
    const controller = new AbortController();
    inFlight.set(frame.id, controller);
    const { type: _type, ...request } = frame;
    const shown = user.role === 'admin' ? send : withoutPaths(send);
    void runAdmitted(app.quota, user, request, (admitted) => chat.run(user.id, admitted, shown, controller.signal))
      .catch((error: unknown) => sendError(error, frame.id)) // a refused request: rate_limited
      .finally(() => inFlight.delete(frame.id));
  }

  async function onFrame(raw: string) {
    alive = true;
    const parsed = parseFrame(raw, config.maxMessageChars);
    if (!parsed.ok) return sendError(badRequest(parsed.message), parsed.id);
    const frame = parsed.frame;
    if (frame.type === 'ping') return send({ type: 'pong' });
    if (frame.type === 'auth') {
      const next = await identify(app, frame.token);
      return next ? authenticate(next) : refuse('The token is invalid or expired. Refresh it and reconnect.');
    }
    if (!identity) return refuse('Authenticate first: send an auth frame.');
    if (frame.type === 'stop') return inFlight.get(frame.id)?.abort();
    if (Date.now() >= identity.expiresAt) {
      return sendError(
        unauthenticated('Your session expired. Refresh it and send an auth frame (or reconnect).'),
        frame.id,
      );
    }
    startChat(frame, identity.user);
  }

  socket.on('message', (data, isBinary) => {
    if (isBinary) return sendError(badRequest('Send frames as JSON text.'));
    void onFrame(data.toString()).catch((error: unknown) => app.log.error({ err: error }, 'socket frame failed'));
  });
  socket.on('close', () => {
    clearTimeout(authTimer);
    clearInterval(heartbeat);
    sender.close();
    // A client that went away mid-answer does not keep the model busy.
    for (const controller of inFlight.values()) controller.abort();
    if (tracked) app.sessions.close(tracked);
  });
}

/** The user and expiry behind an access token, or null. */
export async function identify(app: FastifyInstance, token: string): Promise<Identity | null> {
  const user = await app.verifyAccessToken(token);
  if (!user) return null;
  const { exp, sid } = app.jwt.decode<{ exp?: number; sid?: string }>(token) ?? {};
  return { user, expiresAt: exp ? exp * 1000 : Number.POSITIVE_INFINITY, sessionId: sid };
}

/** Only admins see where the server keeps its files (a missing model's path, say). */
function withoutPaths<F extends { type: string; message?: unknown }>(send: (frame: F) => void): (frame: F) => void {
  return (frame) =>
    send(
      frame.type === 'error' && typeof frame.message === 'string'
        ? { ...frame, message: withoutServerPaths(frame.message) }
        : frame,
    );
}
