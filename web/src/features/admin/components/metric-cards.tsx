import type { AdminMetrics } from '@shared/contract/admin';
import { formatBytes, formatCount, formatDuration, formatMs, formatRate } from '@/lib/format';
import { MetricCard } from './metric-card';

const pct = (n: number) => `${Math.round(n)}%`;

/** The live numbers at the top of the admin page. */
export function MetricCards({ metrics }: { metrics: AdminMetrics }) {
  const { system, model, inference, sessions, routes } = metrics;
  const memRatio = system.memory.totalBytes > 0 ? system.memory.usedBytes / system.memory.totalBytes : 0;
  return (
    <div className="metric-grid" data-testid="metric-cards">
      <MetricCard
        label="CPU"
        icon="bolt"
        value={pct(system.cpuPercent)}
        ratio={system.cpuPercent / 100}
        detail={`Load ${system.loadAvg.map((n) => n.toFixed(2)).join(' · ')}`}
      />
      <MetricCard
        label="Memory"
        icon="database"
        value={formatBytes(system.memory.usedBytes)}
        ratio={memRatio}
        detail={`of ${formatBytes(system.memory.totalBytes)} · portal ${formatBytes(system.memory.processRssBytes)}`}
      />
      <MetricCard
        label="Uptime"
        icon="history"
        value={formatDuration(system.uptimeSec)}
        detail="since the portal started"
      />
      <MetricCard
        label="Active sessions"
        icon="user"
        value={sessions.activeUsers}
        detail={`${sessions.activeSockets} open chat connection${sessions.activeSockets === 1 ? '' : 's'}`}
      />
      <MetricCard
        label="Time to first token"
        icon="sparkle"
        value={formatMs(inference.ttftMs.p50)}
        detail={`p95 ${formatMs(inference.ttftMs.p95)} · ${formatCount(inference.requests)} requests`}
      />
      <MetricCard
        label="Generation speed"
        icon="bolt"
        value={formatRate(inference.tokensPerSecond.p50)}
        detail={`p95 ${formatRate(inference.tokensPerSecond.p95)} · ${formatCount(inference.tokensGenerated)} tokens`}
      />
      <MetricCard
        label="Chat · API"
        icon="chat"
        value={`${formatCount(routes.socket.requests)} · ${formatCount(routes.api.requests)}`}
        detail={`answers (${formatCount(routes.socket.cached + routes.api.cached)} cached) · tokens ${formatCount(routes.socket.tokensGenerated)} · ${formatCount(routes.api.tokensGenerated)}`}
      />
      <MetricCard
        label="Queue"
        icon="menu"
        value={inference.queueDepth}
        detail={`${inference.activeSequences} of ${model.parallel} sequences busy`}
      />
      <MetricCard
        label="Model"
        icon="chat"
        value={
          <span className="metric-model">
            {model.loaded
              ? (model.name ?? model.file ?? 'loaded')
              : model.status === 'loading'
                ? 'loading…'
                : 'not loaded'}
          </span>
        }
        detail={
          model.loaded
            ? [
                model.architecture,
                model.parameters ? `${formatCount(model.parameters)} params` : null,
                model.quantization,
                `ctx ${model.contextSize}`,
                `${model.threads} threads`,
              ]
                .filter(Boolean)
                .join(' · ')
            : (model.hint ?? 'See /readyz for how to fix it.')
        }
      />
    </div>
  );
}
