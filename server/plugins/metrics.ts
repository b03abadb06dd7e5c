import fp from 'fastify-plugin';
import { createCpuSampler, type CpuSampler } from '../metrics/cpu-sampler.js';
import { createMetricsHistory, type MetricsHistory } from '../metrics/history.js';
import { createPrometheusMetrics, type PrometheusMetrics } from '../metrics/prometheus.js';
import { createRouteTotals, type RouteTotals } from '../metrics/route-totals.js';

declare module 'fastify' {
  interface FastifyInstance {
    metrics: { prometheus: PrometheusMetrics; history: MetricsHistory; cpu: CpuSampler; routes: RouteTotals };
  }
}

/** Prometheus counters, the admin's one-hour history, and the CPU sampler behind them. */
export default fp(
  async (app) => {
    const { engine, responseCache: cache, sessions, answers } = app;
    const prometheus = createPrometheusMetrics({
      sources: {
        inference: () => engine.stats(),
        cache: () => cache.stats(),
        sessions: () => sessions.stats(),
        model: () => engine.model(),
      },
    });
    const history = createMetricsHistory({
      sources: { inference: () => engine.stats(), activeSessions: () => sessions.stats().activeSockets },
    });
    history.start();
    const routes = createRouteTotals();
    const unsubscribe = answers.onAnswer((done, { cached, route }) => {
      const { completionTokens } = done.usage;
      prometheus.observeGeneration({
        ttftMs: done.timings.ttftMs,
        totalMs: done.timings.totalMs,
        completionTokens,
        cached,
        finishReason: done.finishReason,
        route,
      });
      routes.observe(route, { cached, completionTokens });
    });
    app.decorate('metrics', { prometheus, history, cpu: createCpuSampler(), routes });
    app.addHook('onResponse', async (request, reply) => {
      prometheus.observeHttpRequest({
        method: request.method,
        route: request.routeOptions.url,
        statusCode: reply.statusCode,
        durationMs: reply.elapsedTime,
      });
    });
    app.addHook('onClose', async () => {
      history.stop();
      unsubscribe();
    });
  },
  { name: 'metrics', dependencies: ['services', 'inference', 'cache'] },
);
