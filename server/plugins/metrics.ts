import fp from 'fastify-plugin';
import { createCpuSampler, type CpuSampler } from '../metrics/cpu-sampler.js';
import { createMetricsHistory, type MetricsHistory } from '../metrics/history.js';
import { createPrometheusMetrics, type PrometheusMetrics } from '../metrics/prometheus.js';

declare module 'fastify' {
  interface FastifyInstance {
    metrics: { prometheus: PrometheusMetrics; history: MetricsHistory; cpu: CpuSampler };
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
    const unsubscribe = answers.onAnswer((done, { cached }) =>
      prometheus.observeGeneration({
        ttftMs: done.timings.ttftMs,
        totalMs: done.timings.totalMs,
        completionTokens: done.usage.completionTokens,
        cached,
        finishReason: done.finishReason,
      }),
    );
    app.decorate('metrics', { prometheus, history, cpu: createCpuSampler() });
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
