import { useState } from 'react';
import type { AdminMetrics } from '@shared/contract/admin';
import { formatBytes, formatCount, formatDuration } from '@/lib/format';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { Panel } from '@/components/ui/panel';
import { notify } from '@/components/ui/notifications/notifications-store';
import { flushCache } from '../api/admin-api';

/** Response-cache figures and the Flush button (behind a confirmation). */
export function CachePanel({ cache, onFlushed }: { cache: AdminMetrics['cache']; onFlushed(): void }) {
  const [confirming, setConfirming] = useState(false);
  const flush = async () => {
    const { flushed } = await flushCache();
    notify('success', `Cache flushed: ${flushed} entr${flushed === 1 ? 'y' : 'ies'} removed.`);
    onFlushed();
  };
  const facts: Array<[string, string]> = [
    ['Backend', cache.backend === 'redis' ? 'Redis' : 'In-memory'],
    ['Hit rate', `${Math.round(cache.hitRate * 100)}%`],
    ['Hits / misses', `${formatCount(cache.hits)} / ${formatCount(cache.misses)}`],
    ['Entries', formatCount(cache.entries)],
    ['Size', formatBytes(cache.bytes)],
    ['Lifetime', formatDuration(cache.ttlSec)],
  ];
  return (
    <Panel
      id="cache"
      icon="database"
      title="Response cache"
      action={
        <button type="button" className="btn btn-secondary btn-sm" onClick={() => setConfirming(true)}>
          Flush cache
        </button>
      }
    >
      <dl className="facts" data-testid="cache-facts">
        {facts.map(([k, v]) => (
          <div key={k} className="fact">
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
      <ConfirmDialog
        open={confirming}
        title="Flush the response cache?"
        confirmLabel="Flush"
        onConfirm={flush}
        onClose={() => setConfirming(false)}
      >
        <p>
          All {formatCount(cache.entries)} cached answers will be removed. Repeated questions will be answered by the
          model again, which is slower until the cache warms up.
        </p>
      </ConfirmDialog>
    </Panel>
  );
}
