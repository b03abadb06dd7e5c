import os from 'node:os';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AdminMetrics, CacheFlushResult, MetricsHistory } from '../../../shared/contract/admin.js';
import { authErrors } from '../../../shared/contract/errors.js';
import { systemSnapshot } from '../../metrics/system-snapshot.js';

const adminMetricsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/metrics', { schema: { response: { 200: AdminMetrics, ...authErrors } } }, async () => {
    const system = systemSnapshot(app.metrics.cpu);
    const status = app.engine.status();
    return {
      system: { ...system, hostUptimeSec: Math.round(os.uptime()) },
      model: { ...app.engine.model(), status: status.state, hint: status.hint },
      inference: app.engine.stats(),
      cache: await app.responseCache.refreshStats(),
      sessions: app.sessions.stats(),
      routes: app.metrics.routes.snapshot(),
    };
  });

  app.get('/metrics/history', { schema: { response: { 200: MetricsHistory, ...authErrors } } }, async () =>
    app.metrics.history.snapshot(),
  );

  app.post('/cache/flush', { schema: { response: { 200: CacheFlushResult, ...authErrors } } }, async (request) => {
    const flushed = await app.responseCache.flush();
    await app.audit.record(request.auth?.username ?? null, 'cache.flush', null, { flushed });
    return { flushed };
  });
};

export default adminMetricsRoutes;
