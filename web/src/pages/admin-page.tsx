import { useEffect } from 'react';
import '@/styles/admin.css';
import '@/styles/usage.css';
import { getMetrics, getMetricsHistory, listAudit, listUsers } from '@/features/admin/api/admin-api';
import { AuditPanel } from '@/features/admin/components/audit-panel';
import { CachePanel } from '@/features/admin/components/cache-panel';
import { MetricCards } from '@/features/admin/components/metric-cards';
import { MetricsCharts } from '@/features/admin/components/metrics-charts';
import { Panel } from '@/components/ui/panel';
import { UsersPanel } from '@/features/admin/components/users-panel';
import { useAuth } from '@/features/auth/stores/auth-store';
import { AdminKeysPanel } from '@/features/api-keys/components/admin-keys-panel';
import { getAdminUsage, getLimits } from '@/features/usage/api/usage-api';
import { AdminUsageTable } from '@/features/usage/components/admin-usage-table';
import { LimitsEditor } from '@/features/usage/components/limits-editor';
import { usePoll } from '@/lib/use-poll';
import { PageHeader } from '@/components/ui/page-header';
import { LoadingBlock } from '@/components/ui/spinner';
import { Icon } from '@/components/ui/icon';

const METRICS_POLL_MS = 5_000;
const HISTORY_POLL_MS = 30_000;
const AUDIT_POLL_MS = 30_000;
const USAGE_POLL_MS = 60_000;

/** Loaded as its own chunk: only admins ever download it. */
export default function AdminPage() {
  const metrics = usePoll(getMetrics, METRICS_POLL_MS);
  const history = usePoll(getMetricsHistory, HISTORY_POLL_MS);
  const audit = usePoll(listAudit, AUDIT_POLL_MS);
  const me = useAuth((s) => s.user);
  const usage = usePoll(getAdminUsage, USAGE_POLL_MS);
  const limits = usePoll(getLimits, USAGE_POLL_MS);
  const users = usePoll(listUsers, USAGE_POLL_MS);
  const limitsChanged = () => {
    limits.reload();
    audit.reload();
  };

  useEffect(() => {
    document.title = 'Admin · PocketLLM';
  }, []);

  return (
    <div className="page page-scroll">
      <PageHeader title="Admin">
        <span className="live-pill" title={`Updates every ${METRICS_POLL_MS / 1000} seconds`}>
          <span className="live-dot" aria-hidden="true" /> Live
        </span>
      </PageHeader>
      <div className="page-content wide admin">
        {metrics.error && !metrics.data && (
          <p className="panel-error" role="alert">
            <Icon name="warning" size={16} /> {metrics.error.message}
          </p>
        )}
        {metrics.data ? (
          <MetricCards metrics={metrics.data} />
        ) : (
          !metrics.error && <LoadingBlock label="Loading metrics…" />
        )}
        {history.data && <MetricsCharts history={history.data} />}
        <div className="admin-columns">
          {metrics.data && <CachePanel cache={metrics.data.cache} onFlushed={metrics.reload} />}
          <AuditPanel entries={audit.data?.entries ?? null} error={audit.error} onRefresh={audit.reload} />
        </div>
        <UsersPanel currentUserId={me?.id} onChanged={audit.reload} />
        <AdminKeysPanel onChanged={audit.reload} />
        <Panel id="usage" icon="bolt" title="Usage (last 30 days)">
          {usage.data ? (
            <AdminUsageTable users={usage.data.users} />
          ) : usage.error ? (
            <p className="panel-error">{usage.error.message}</p>
          ) : (
            <LoadingBlock label="Loading usage…" />
          )}
        </Panel>
        <Panel id="limits" icon="shield" title="Limits">
          {limits.data ? (
            <LimitsEditor table={limits.data} users={users.data?.users ?? []} onChanged={limitsChanged} />
          ) : limits.error ? (
            <p className="panel-error">{limits.error.message}</p>
          ) : (
            <LoadingBlock label="Loading limits…" />
          )}
        </Panel>
      </div>
    </div>
  );
}
