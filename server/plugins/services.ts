import fp from 'fastify-plugin';
import { createApiKeyService, type ApiKeyService } from '../services/api-key-service.js';
import { createAnswerEvents, type AnswerEvents } from '../services/answer-events.js';
import { createAuditLog, type AuditLog } from '../services/audit-service.js';
import { createLoginThrottle, type LoginThrottle } from '../services/login-throttle.js';
import { createRefreshTokenService, type RefreshTokenService } from '../services/refresh-token-service.js';
import { createSessionTracker, type SessionTracker } from '../services/session-tracker.js';
import { createUserService, type UserService } from '../services/user-service.js';

declare module 'fastify' {
  interface FastifyInstance {
    users: UserService;
    refreshTokens: RefreshTokenService;
    audit: AuditLog;
    loginThrottle: LoginThrottle;
    /** Open chat sockets by user and sign-in; ends them when access ends. */
    sessions: SessionTracker;
    /** Every finished chat answer, from the model or the cache. */
    answers: AnswerEvents;
    /** Per-user API keys for /v1. */
    apiKeys: ApiKeyService;
  }
}

/** The services routes use, built in one place from plain factories; none of them knows Fastify. */
export default fp(
  async (app) => {
    const audit = createAuditLog(app.db);
    const sessions = createSessionTracker();
    app.decorate('audit', audit);
    app.decorate('sessions', sessions);
    // Ending access reaches the open sockets too: they authenticated once, at connect.
    app.decorate(
      'users',
      createUserService(app.db, audit, { accessEnded: (userId, reason) => sessions.closeUser(userId, reason) }),
    );
    app.decorate(
      'refreshTokens',
      createRefreshTokenService(app.db, {
        sessionEnded: (sessionId, reason) => sessions.closeSession(sessionId, reason),
      }),
    );
    app.decorate('loginThrottle', createLoginThrottle());
    app.decorate('answers', createAnswerEvents());
    app.decorate('apiKeys', createApiKeyService(app.db, audit));
    const prune = setInterval(() => void app.refreshTokens.prune().catch(() => {}), 3600_000).unref();
    app.addHook('onClose', async () => clearInterval(prune));
  },
  { name: 'services', dependencies: ['db'] },
);
