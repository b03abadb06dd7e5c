import t, { type Test } from 'tap';
import { createPrometheusMetrics, type PrometheusSources } from '../../../server/metrics/prometheus.js';

const SAMPLE_LINE =
  /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*",?)*\})? (-?[0-9.]+(?:e[+-]?\d+)?|[Nn]a[Nn]|[+-]Inf)$/;

// NaN is matched case-insensitively as Prometheus does (prom-client writes "Nan").
/** Parses exposition text; fails the test on any line that is neither a comment nor a sample. */
function parse(t: Test, text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('# HELP ') || line.startsWith('# TYPE ')) continue;
    const match = SAMPLE_LINE.exec(line);
    if (!match) {
      t.fail(`not a Prometheus sample line: ${line}`);
      continue;
    }
    samples.set(`${match[1]}${match[2] ?? ''}`, Number(match[3]));
  }
  return samples;
}

function fakeSources() {
  const state = { hits: 0, misses: 0, switches: 0, backend: 'redis' as 'redis' | 'memory', queueDepth: 1 };
  const sources: PrometheusSources = {
    inference: () => ({ queueDepth: state.queueDepth, activeSequences: 2 }),
    cache: () => ({ ...state, entries: 7, bytes: 700 }),
    sessions: () => ({ activeSockets: 3, activeUsers: 2 }),
    model: () => ({ loaded: true }),
  };
  return { state, sources };
}

t.test('the text parses and carries every metric of the issue', async (t) => {
  const { sources } = fakeSources();
  const metrics = createPrometheusMetrics({ sources });
  t.match(metrics.contentType, /^text\/plain/);
  const samples = parse(t, await metrics.render());
  for (const name of [
    'pocketllm_queue_depth',
    'pocketllm_active_sequences',
    'pocketllm_active_sockets',
    'pocketllm_active_users',
    'pocketllm_model_loaded',
    'pocketllm_cache_hits_total',
    'pocketllm_cache_misses_total',
    'pocketllm_cache_backend_switches_total',
    'pocketllm_cache_entries',
    'pocketllm_tokens_generated_total',
    'process_resident_memory_bytes',
    'process_cpu_seconds_total',
  ]) {
    t.ok(samples.has(name), name);
  }
  t.equal(samples.get('pocketllm_queue_depth'), 1);
  t.equal(samples.get('pocketllm_active_sockets'), 3);
  t.equal(samples.get('pocketllm_cache_backend{backend="redis"}'), 1);
  t.equal(samples.get('pocketllm_cache_backend{backend="memory"}'), 0);
});

t.test('observations move the counters and histograms', async (t) => {
  const metrics = createPrometheusMetrics({ defaultMetrics: false });
  const before = parse(t, await metrics.render());
  t.equal(before.get('pocketllm_tokens_generated_total'), 0);

  metrics.observeGeneration({ ttftMs: 200, totalMs: 1200, completionTokens: 11, cached: false });
  metrics.observeGeneration({ ttftMs: 2, totalMs: 3, completionTokens: 11, cached: true });
  metrics.observeGeneration({ ttftMs: 100, totalMs: 300, completionTokens: 3, cached: false, finishReason: 'abort' });
  metrics.observeHttpRequest({ method: 'GET', route: '/api/conversations/:id', statusCode: 200, durationMs: 12 });
  metrics.observeHttpRequest({ method: 'GET', statusCode: 404, durationMs: 1 });

  const after = parse(t, await metrics.render());
  t.equal(after.get('pocketllm_tokens_generated_total'), 14, 'model tokens only');
  t.equal(after.get('pocketllm_generations_total{cached="false",finish_reason="stop"}'), 1);
  t.equal(after.get('pocketllm_generations_total{cached="true",finish_reason="stop"}'), 1);
  t.equal(after.get('pocketllm_generations_total{cached="false",finish_reason="abort"}'), 1);
  t.equal(after.get('pocketllm_ttft_seconds_count{cached="false"}'), 2);
  t.ok(Math.abs((after.get('pocketllm_ttft_seconds_sum{cached="false"}') ?? 0) - 0.3) < 1e-9, 'ttft sum');
  t.equal(after.get('pocketllm_ttft_seconds_bucket{le="0.005",cached="true"}'), 1);
  t.equal(after.get('pocketllm_token_latency_seconds_count'), 2);
  t.ok(Math.abs((after.get('pocketllm_token_latency_seconds_sum') ?? 0) - 0.2) < 1e-9, '1000 ms / 10 and 200 ms / 2');
  t.equal(
    after.get('http_request_duration_seconds_count{method="GET",route="/api/conversations/:id",status_code="200"}'),
    1,
  );
  t.equal(after.get('http_request_duration_seconds_count{method="GET",route="unmatched",status_code="404"}'), 1);
});

t.test('cache counters follow the running totals of their source', async (t) => {
  const { state, sources } = fakeSources();
  const metrics = createPrometheusMetrics({ sources, defaultMetrics: false });
  state.hits = 5;
  state.misses = 2;
  let samples = parse(t, await metrics.render());
  t.equal(samples.get('pocketllm_cache_hits_total'), 5);
  t.equal(samples.get('pocketllm_cache_misses_total'), 2);
  await new Promise((resolve) => setTimeout(resolve, 60)); // past the per-scrape memo
  state.hits = 8;
  state.switches = 1;
  state.backend = 'memory';
  samples = parse(t, await metrics.render());
  t.equal(samples.get('pocketllm_cache_hits_total'), 8);
  t.equal(samples.get('pocketllm_cache_misses_total'), 2);
  t.equal(samples.get('pocketllm_cache_backend_switches_total'), 1);
  t.equal(samples.get('pocketllm_cache_backend{backend="memory"}'), 1);
  t.equal(samples.get('pocketllm_cache_backend{backend="redis"}'), 0);
});

t.test('each instance has its own registry', async (t) => {
  const a = createPrometheusMetrics({ defaultMetrics: false });
  const b = createPrometheusMetrics({ defaultMetrics: false });
  a.observeGeneration({ ttftMs: 1, totalMs: 2, completionTokens: 4, cached: false });
  t.equal(parse(t, await a.render()).get('pocketllm_tokens_generated_total'), 4);
  t.equal(parse(t, await b.render()).get('pocketllm_tokens_generated_total'), 0);
});
