import cookie from '@fastify/cookie';
import jwt from '@fastify/jwt';
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ACCESS_COOKIE } from '../auth/cookies.js';
import { forbidden, unauthenticated } from '../errors.js';
import { resolveJwtSecret } from '../services/jwt-secret.js';
import { createMemorySessionDenyList, type SessionDenyList } from '../services/session-deny-list.js';
import type { PublicUser } from '../services/user-service.js';

/** Access tokens live 30 minutes. */
export const ACCESS_TTL_SEC = 30 * 60;

/** `sid`: the sign-in (refresh-token family) the token belongs to, so signing out can revoke it and ending it can reach its sockets. */
interface AccessClaims {
  sub: string;
  role: string;
  username: string;
  sid?: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    sessionDenyList: SessionDenyList;
    signAccessToken(user: PublicUser, sessionId?: string): string;
    /** Refuses the session's access tokens from now until they would have expired. */
    revokeSession(sessionId: string): Promise<void>;
    /** The active user behind a token, or null when it is bad, expired, or the user is gone. */
    verifyAccessToken(token: string): Promise<PublicUser | null>;
    authenticate(request: FastifyRequest, reply: FastifyReply): Promise<void>;
    requireAdmin(request: FastifyRequest, reply: FastifyReply): Promise<void>;
  }
  interface FastifyRequest {
    auth: PublicUser | null;
  }
}

/** The access token from `Authorization: Bearer`, else from the browser's cookie. */
export function accessTokenOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice(7).trim();
  return request.cookies[ACCESS_COOKIE];
}

/** The deny-list of signed-out sessions; every token verification consults it. */
function decorateSessionRevocation(app: FastifyInstance, store: SessionDenyList = createMemorySessionDenyList()) {
  app.decorate('sessionDenyList', store);
  app.decorate('revokeSession', (sessionId: string) => store.deny(sessionId, Date.now() + ACCESS_TTL_SEC * 1000));
}

export default fp(
  async (app) => {
    const { config, users } = app;
    await app.register(cookie);
    await app.register(jwt, {
      secret: resolveJwtSecret(config.jwtSecret, config.dataDir),
      sign: { expiresIn: ACCESS_TTL_SEC, algorithm: 'HS256' },
      verify: { algorithms: ['HS256'] },
    });
    app.decorateRequest('auth', null);

    decorateSessionRevocation(app);

    app.decorate('signAccessToken', (user: PublicUser, sessionId?: string) =>
      app.jwt.sign({
        sub: user.id,
        role: user.role,
        username: user.username,
        ...(sessionId ? { sid: sessionId } : {}),
      } satisfies AccessClaims),
    );
    app.decorate('verifyAccessToken', async (token: string) => {
      try {
        const claims = app.jwt.verify<AccessClaims>(token);
        if (claims.sid !== undefined && (await app.sessionDenyList.isDenied(claims.sid))) return null;
        // Read the user each time: a disabled, deleted or demoted user loses access at once.
        return await users.activeUser(claims.sub);
      } catch {
        return null;
      }
    });
    app.decorate('authenticate', async (request: FastifyRequest) => {
      const token = accessTokenOf(request);
      const user = token ? await app.verifyAccessToken(token) : null;
      if (!user) throw unauthenticated(token ? 'Your session has expired. Sign in again.' : undefined);
      request.auth = user;
    });
    app.decorate('requireAdmin', async (request: FastifyRequest, reply: FastifyReply) => {
      await app.authenticate(request, reply);
      if (request.auth?.role !== 'admin') throw forbidden('Only admins can do that.');
    });

    if (config.adminUsername && config.adminPassword) {
      if (await users.ensureAdmin(config.adminUsername, config.adminPassword)) {
        app.log.info({ username: config.adminUsername }, 'created the admin from ADMIN_USERNAME');
      }
    }
  },
  { name: 'auth', dependencies: ['config', 'services'] },
);
