import fp from 'fastify-plugin';
import { Counter, Gauge } from 'prom-client';
import { createFailoverCounters } from '../quota/failover-counters.js';
import { DAY_MS, type Clock } from '../quota/clock.js';
import { createLimitsService, type LimitsService } from '../services/limits-service.js';
import { createQuotaService, type QuotaService } from '../services/quota-service.js';
import { createUsageService, evaluatedPromptTokens, type UsageService } from '../services/usage-service.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Per-user limits: `admit` before every chat request, socket or API. */
    quota: QuotaService;
    /** Role defaults and per-user overrides. */
    limits: LimitsService;
    /** Daily usage rows per user. */
    usage: UsageService;
  }
}

export interface QuotasOptions {
  /** Defaults to Date.now; tests pass a clock they move. */
  now?: Clock;
}

/**
 * Limits and usage: built from plain factories like the other services, here rather than in
 * the services plugin because the counters own a Redis connection and report to Prometheus.
 */
export default fp<QuotasOptions>(
  async (app, options) => {
    const now = options.now ?? Date.now;
    const log = app.log.child({ component: 'quota' });
    const counters = createFailoverCounters({ redisUrl: app.config.redisUrl, now, logger: log });
    await counters.ready();
    const limits = createLimitsService(app.db, app.audit);
    const usage = createUsageService(app.db, now);
    const quota = createQuotaService({ limitsOf: (user) => limits.effective(user), counters, now });
    app.decorate('quota', quota);
    app.decorate('limits', limits);
    app.decorate('usage', usage);

    const registers = [app.metrics.prometheus.registry];
    const refused = new Counter({
      name: 'pocketllm_rate_limited_total',
      help: 'Chat requests refused by a per-user limit, by limit kind (requests, tokens, concurrent).',
      labelNames: ['limit'] as const,
      registers,
    });
    new Gauge({
      name: 'pocketllm_quota_counters_in_redis',
      help: '1 while rate limits are counted in Redis, 0 while counted in this process (no Redis, or Redis down).',
      registers,
      collect() {
        this.set(counters.backend === 'redis' ? 1 : 0);
      },
    });
    const stopRefused = quota.onRefused((limit) => refused.inc({ limit }));
    const stopAnswers = app.answers.onAnswer((done, { cached, userId }) => {
      const failed = (error: unknown) => log.warn({ err: error }, 'could not record usage');
      if (!cached)
        void quota.recordTokens(userId, evaluatedPromptTokens(done.usage) + done.usage.completionTokens).catch(failed);
      void usage.record(userId, done, cached).catch(failed);
    });
    const prune = () => void usage.prune().catch((error: unknown) => log.warn({ err: error }, 'usage prune failed'));
    prune();
    const pruner = setInterval(prune, DAY_MS).unref();
    app.addHook('onClose', async () => {
      clearInterval(pruner);
      stopRefused();
      stopAnswers();
      await counters.close();
    });
  },
  { name: 'quotas', dependencies: ['config', 'db', 'services', 'metrics'] },
);
