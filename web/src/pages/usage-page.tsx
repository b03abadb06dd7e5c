import { useEffect } from 'react';
import '@/styles/usage.css';
import { getMyUsage } from '@/features/usage/api/usage-api';
import { UsageChart } from '@/features/usage/components/usage-chart';
import { UsageToday } from '@/features/usage/components/usage-today';
import { usePoll } from '@/lib/use-poll';
import { PageHeader } from '@/components/ui/page-header';
import { LoadingBlock } from '@/components/ui/spinner';

const USAGE_POLL_MS = 30_000;

/** The signed-in user's own usage: today against their limits and the last 30 days. */
export function UsagePage() {
  const usage = usePoll(getMyUsage, USAGE_POLL_MS);

  useEffect(() => {
    document.title = 'Usage · PocketLLM';
  }, []);

  return (
    <div className="page page-scroll">
      <PageHeader title="Usage" />
      <div className="page-content narrow">
        {usage.data ? (
          <>
            <UsageToday usage={usage.data} />
            <UsageChart days={usage.data.days} />
          </>
        ) : usage.error ? (
          <p className="panel-error" role="alert">
            {usage.error.message}
          </p>
        ) : (
          <LoadingBlock label="Loading usage…" />
        )}
      </div>
    </div>
  );
}
