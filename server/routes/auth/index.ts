import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.js';
import { AppError, badRequest, unauthenticated } from '../../errors.js';
import { ACCESS_COOKIE, REFRESH_COOKIE } from '../../auth/cookies.js';
import { ACCESS_TTL_SEC, accessTokenOf } from '../../plugins/auth.js';
import { REFRESH_TTL_SEC } from '../../services/refresh-token-service.js';
import type { PublicUser } from '../../services/user-service.js';
import { Credentials, Session, SetupStatus, UserReply } from '../../../shared/contract/auth.js';
import { ErrorBody } from '../../../shared/contract/errors.js';
import { MAX_REFRESH_TOKEN_CHARS } from '../../../shared/contract/limits.js';
import fp from 'fastify-plugin';

const errors = { 400: ErrorBody, 401: ErrorBody, 409: ErrorBody, 429: ErrorBody };

/**
 * The body of /refresh and /logout is optional (browsers send only the cookie), which a
 * JSON schema on `body` cannot express, so it is checked here.
 */
function refreshTokenIn(body: unknown): string | undefined {
  if (body === undefined || body === null) return undefined;
  const token = typeof body === 'object' ? (body as Record<string, unknown>).refreshToken : undefined;
  const extra = typeof body === 'object' ? Object.keys(body).filter((k) => k !== 'refreshToken') : [];
  if (extra.length > 0) throw badRequest(`Unknown field "${extra[0]}" in body.`);
  if (token === undefined) return undefined;
  if (typeof token !== 'string' || token.length === 0 || token.length > MAX_REFRESH_TOKEN_CHARS)
    throw badRequest('refreshToken must be a non-empty string.');
  return token;
}

const authRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const config: Config = app.config;
  const cookieBase = { httpOnly: true, sameSite: 'strict', secure: config.cookieSecure } as const;

  async function startSession(
    request: FastifyRequest,
    reply: FastifyReply,
    user: PublicUser,
    { token: refreshToken, sessionId }: { token: string; sessionId: string },
  ) {
    const accessToken = app.signAccessToken(user, sessionId);
    reply.setCookie(ACCESS_COOKIE, accessToken, { ...cookieBase, path: '/', maxAge: ACCESS_TTL_SEC });
    // Scoped to the auth routes: the long-lived token is never sent with ordinary requests.
    reply.setCookie(REFRESH_COOKIE, refreshToken, { ...cookieBase, path: '/api/auth', maxAge: REFRESH_TTL_SEC });
    // Browsers (they always send Origin on POST) keep the refresh token in its HttpOnly cookie
    // only, out of reach of page scripts; scripts and apps get it in the body to call /refresh.
    const forScript = request.headers.origin === undefined;
    return { user, accessToken, expiresIn: ACCESS_TTL_SEC, ...(forScript ? { refreshToken: refreshToken } : {}) };
  }

  /** A browser or script already signed in as this user: a flood from elsewhere must not lock it out. */
  async function knownDevice(request: FastifyRequest, username: string): Promise<boolean> {
    const sameName = (user: PublicUser | null) =>
      user !== null && user.username.toLowerCase() === username.toLowerCase();
    const refresh = request.cookies[REFRESH_COOKIE];
    const owner = refresh ? await app.refreshTokens.liveOwner(refresh) : null;
    if (owner && sameName(await app.users.activeUser(owner))) return true;
    const access = accessTokenOf(request);
    return access !== undefined && sameName(await app.verifyAccessToken(access));
  }

  /** The session of a valid access token, so that signing out revokes it too. */
  function sessionOf(token: string | undefined): string | undefined {
    try {
      return token ? app.jwt.verify<{ sid?: string }>(token).sid : undefined;
    } catch {
      return undefined;
    }
  }

  app.get('/setup', { schema: { response: { 200: SetupStatus } } }, async () => ({
    needed: await app.users.setupNeeded(),
  }));

  app.post(
    '/setup',
    { schema: { body: Credentials, response: { 201: UserReply, ...errors } } },
    async (request, reply) => {
      const user = await app.users.setup(request.body.username, request.body.password);
      return reply.code(201).send({ user });
    },
  );

  app.post(
    '/login',
    { schema: { body: Credentials, response: { 200: Session, ...errors } } },
    async (request, reply) => {
      const { username, password } = request.body;
      const reservation = await app.loginThrottle.reserve(username, request.ip, {
        knownDevice: await knownDevice(request, username),
      });
      if (!reservation.ok) {
        const wait = reservation.retryAfterSec;
        throw new AppError(
          429,
          'throttled',
          `Too many failed sign-ins. Try again in ${Math.ceil(wait / 60)} minute(s).`,
          wait,
        );
      }
      const user = await app.users.verifyLogin(username, password);
      if (!user) {
        await reservation.attempt.failed();
        await app.audit.record(null, 'login.failed', username, { ip: request.ip });
        throw new AppError(401, 'invalid_credentials', 'Wrong username or password.');
      }
      await reservation.attempt.succeeded();
      return startSession(request, reply, user, await app.refreshTokens.issue(user.id));
    },
  );

  app.post(
    '/refresh',
    {
      schema: {
        response: { 200: Session, ...errors },
      },
    },
    async (request, reply) => {
      const presented = refreshTokenIn(request.body) ?? request.cookies[REFRESH_COOKIE];
      if (!presented) throw unauthenticated('No session to refresh. Sign in again.');
      const result = await app.refreshTokens.rotate(presented);
      const user = result.ok ? await app.users.activeUser(result.userId) : null;
      if (!result.ok || !user) {
        if (!result.ok && result.reason === 'reused')
          app.log.warn('refresh token reuse detected; session family revoked');
        reply.clearCookie(ACCESS_COOKIE, { path: '/' }).clearCookie(REFRESH_COOKIE, { path: '/api/auth' });
        throw unauthenticated('Your session has ended. Sign in again.');
      }
      return startSession(request, reply, user, result);
    },
  );

  app.post('/logout', { schema: { response: { 204: Type.Null(), 400: ErrorBody } } }, async (request, reply) => {
    const presented = refreshTokenIn(request.body) ?? request.cookies[REFRESH_COOKIE];
    const ended = [presented ? await app.refreshTokens.revoke(presented) : null, sessionOf(accessTokenOf(request))];
    for (const sessionId of new Set(ended)) {
      if (!sessionId) continue;
      await app.revokeSession(sessionId);
      // Also the session the access token names (a client may sign out without its refresh token).
      app.sessions.closeSession(sessionId, 'signed_out');
    }
    reply.clearCookie(ACCESS_COOKIE, { path: '/' }).clearCookie(REFRESH_COOKIE, { path: '/api/auth' });
    return reply.code(204).send(null);
  });

  app.get(
    '/me',
    { onRequest: app.authenticate, schema: { response: { 200: UserReply, 401: ErrorBody } } },
    async (request) => ({ user: request.auth! }),
  );
};

export default fp(authRoutes, { name: 'auth-routes', encapsulate: true, dependencies: ['auth', 'services'] });
