import os from 'node:os';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { systemSnapshot } from '../../metrics/system-snapshot.js';
import { authErrors } from '../schemas.js';

const Num = Type.Number();
const NullableNum = Type.Union([Type.Number(), Type.Null()]);
const NullableStr = Type.Union([Type.String(), Type.Null()]);
const Percentiles = Type.Object({ p50: NullableNum, p95: NullableNum });

const Metrics = Type.Object({
  system: Type.Object({
    cpuPercent: Num,
    memory: Type.Object({ totalBytes: Num, usedBytes: Num, processRssBytes: Num }),
    uptimeSec: Num,
    hostUptimeSec: Num,
    loadAvg: Type.Array(Num),
  }),
  model: Type.Object({
    loaded: Type.Boolean(),
    name: NullableStr,
    file: NullableStr,
    architecture: NullableStr,
    parameters: NullableNum,
    quantization: NullableStr,
    contextSize: Num,
    threads: Num,
    parallel: Num,
    loadTimeMs: NullableNum,
    status: Type.String(),
    hint: NullableStr,
  }),
  inference: Type.Object({ activeSequences: Num, queueDepth: Num, requests: Num, tokensGenerated: Num, ttftMs: Percentiles, tokensPerSecond: Percentiles }),
  cache: Type.Object({ backend: Type.String(), hits: Num, misses: Num, hitRate: Num, entries: Num, bytes: Num, ttlSec: Num, switches: Num }),
  sessions: Type.Object({ activeSockets: Num, activeUsers: Num }),
});

const HistorySample = Type.Object({ at: Type.String(), cpuPercent: Num, memoryUsedBytes: Num, processRssBytes: Num, tokensPerSecond: Num, queueDepth: Num, activeSessions: Num });

const adminMetricsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/metrics', { schema: { response: { 200: Metrics, ...authErrors } } }, async () => {
    const system = systemSnapshot(app.metrics.cpu);
    const status = app.engine.status();
    return {
      system: { ...system, hostUptimeSec: Math.round(os.uptime()) },
      model: { ...app.engine.model(), status: status.state, hint: status.hint },
      inference: app.engine.stats(),
      cache: await app.responseCache.refreshStats(),
      sessions: app.sessions.stats(),
    };
  });

  app.get('/metrics/history', { schema: { response: { 200: Type.Object({ intervalSec: Num, samples: Type.Array(HistorySample) }), ...authErrors } } }, async () =>
    app.metrics.history.snapshot(),
  );

  app.post('/cache/flush', { schema: { response: { 200: Type.Object({ flushed: Num }), ...authErrors } } }, async (request) => {
    const flushed = await app.responseCache.flush();
    await app.audit.record(request.auth?.username ?? null, 'cache.flush', null, { flushed });
    return { flushed };
  });
};

export default adminMetricsRoutes;
