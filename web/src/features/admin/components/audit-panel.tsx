import type { AuditEntry } from '@shared/contract/admin';
import { formatWhen } from '@/lib/format';
import { Icon } from '@/components/ui/icon';
import { DataTable } from '@/components/ui/data-table';
import { Panel } from '@/components/ui/panel';

function describe(detail: AuditEntry['detail']): string {
  if (!detail) return '';
  return Object.entries(detail)
    .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(', ');
}

/** Who did what, most recent first. */
export function AuditPanel({
  entries,
  error,
  onRefresh,
}: {
  entries: AuditEntry[] | null;
  error: Error | null;
  onRefresh(): void;
}) {
  return (
    <Panel
      id="audit"
      icon="shield"
      title="Recent activity"
      action={
        <button type="button" className="btn btn-ghost btn-sm" onClick={onRefresh}>
          <Icon name="refresh" size={15} /> Refresh
        </button>
      }
    >
      {error && <p className="panel-error">{error.message}</p>}
      {entries && entries.length === 0 && <p className="muted">Nothing has happened yet.</p>}
      {entries && entries.length > 0 && (
        <DataTable className="audit-table" columns={['When', 'Who', 'What', 'Target', 'Details']}>
          {entries.map((e, i) => (
            <tr key={`${e.at}-${i}`}>
              <td data-label="When">
                <time dateTime={e.at} title={new Date(e.at).toLocaleString()}>
                  {formatWhen(e.at)}
                </time>
              </td>
              <td data-label="Who">{e.actor ?? '—'}</td>
              <td data-label="What">
                <code className="action-code">{e.action}</code>
              </td>
              <td data-label="Target">{e.target ?? '—'}</td>
              <td data-label="Details" className="audit-detail">
                {describe(e.detail)}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </Panel>
  );
}
