import t from 'tap';
import { Compile } from 'typebox/compile';
import { AdminMetrics, CacheFlushResult, MetricsHistory } from '../../../shared/contract/admin.js';
import { bearer, buildTestApp, setupAdmin } from '../../helpers/app.js';

/**
 * Fields the services report that the admin page does not get: internal (the model's cache
 * fingerprint, the template's source) or exported for Prometheus only. Anything else the
 * route hands over must be in the contract, or the serializer would drop it unseen.
 */
const SERVER_ONLY = new Set([
  'model.fingerprint',
  'model.template',
  'inference.promptTokensEvaluated',
  'inference.promptTokensCached',
  'inference.failures',
  'inference.workerRestarts',
  'cache.memory',
]);

interface SchemaNode {
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
}

/** Paths in `value` that `schema` does not list (and SERVER_ONLY does not excuse). */
function unlisted(value: unknown, schema: SchemaNode, at = ''): string[] {
  if (Array.isArray(value))
    return schema.items ? value.flatMap((v, i) => unlisted(v, schema.items!, `${at}[${i}]`)) : [];
  if (typeof value !== 'object' || value === null || !schema.properties) return [];
  return Object.entries(value).flatMap(([key, child]) => {
    const where = at ? `${at}.${key}` : key;
    const property = schema.properties![key];
    if (property) return unlisted(child, property, where);
    return SERVER_ONLY.has(where) ? [] : [where];
  });
}

t.test('what the admin metrics route hands over is exactly the shared AdminMetrics', async (t) => {
  const app = await buildTestApp(t);
  const handedOver = new Map<string, unknown>();
  // Before serialization: the payload as the route built it, fields the schema would strip included.
  app.addHook('preSerialization', async (request, _reply, payload) => {
    handedOver.set(request.url, payload);
    return payload;
  });
  const token = await setupAdmin(app);

  const metrics = await app.inject({ url: '/api/admin/metrics', headers: bearer(token) });
  t.equal(metrics.statusCode, 200);
  const raw = handedOver.get('/api/admin/metrics');
  t.ok(raw, 'the route payload was seen');
  t.same(unlisted(raw, AdminMetrics as SchemaNode), [], 'no field the route sends is missing from the contract');
  const sent = metrics.json();
  t.ok(Compile(AdminMetrics).Check(sent), 'the response validates against the contract');
  t.type(sent.system.hostUptimeSec, 'number', 'system.hostUptimeSec reaches the client');
  t.type(sent.cache.switches, 'number', 'cache.switches reaches the client');

  const history = await app.inject({ url: '/api/admin/metrics/history', headers: bearer(token) });
  t.same(unlisted(handedOver.get('/api/admin/metrics/history'), MetricsHistory as SchemaNode), []);
  t.ok(Compile(MetricsHistory).Check(history.json()), 'history validates against the contract');

  const flush = await app.inject({ method: 'POST', url: '/api/admin/cache/flush', headers: bearer(token) });
  t.ok(Compile(CacheFlushResult).Check(flush.json()), 'flush result validates against the contract');
});
