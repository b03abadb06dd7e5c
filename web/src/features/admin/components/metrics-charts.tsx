import type { MetricsHistory } from '@shared/contract/admin';
import { formatBytes, formatRate } from '@/lib/format';
import { LineChart, type Point } from './line-chart';

const series = (history: MetricsHistory, pick: (s: MetricsHistory['samples'][number]) => number | null): Point[] =>
  history.samples.map((s) => ({ t: Date.parse(s.at), v: pick(s) }));

/** The last hour from /api/admin/metrics/history. */
export function MetricsCharts({ history }: { history: MetricsHistory }) {
  return (
    <div className="chart-grid" data-testid="metric-charts">
      <LineChart
        title="CPU"
        points={series(history, (s) => s.cpuPercent)}
        format={(v) => `${Math.round(v)}%`}
        max={100}
        tone="a"
      />
      <LineChart title="Memory used" points={series(history, (s) => s.memoryUsedBytes)} format={formatBytes} tone="b" />
      <LineChart
        title="Tokens per second"
        points={series(history, (s) => s.tokensPerSecond)}
        format={formatRate}
        tone="c"
      />
      <LineChart
        title="Queue depth"
        points={series(history, (s) => s.queueDepth)}
        format={(v) => (Number.isInteger(v) ? String(v) : v.toFixed(1))}
        tone="d"
      />
    </div>
  );
}
