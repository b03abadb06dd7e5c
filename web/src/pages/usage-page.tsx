import '@/styles/usage.css';
import { getMyUsage } from '@/features/usage/api/usage-api';
import { UsageChart } from '@/features/usage/components/usage-chart';
import { UsageToday } from '@/features/usage/components/usage-today';
import { usePoll } from '@/lib/use-poll';
import { NarrowPage } from '@/components/layout/narrow-page';
import { LoadingBlock } from '@/components/ui/spinner';

const USAGE_POLL_MS = 30_000;

/** The signed-in user's own usage: today against their limits and the last 30 days. */
export function UsagePage() {
  const usage = usePoll(getMyUsage, USAGE_POLL_MS);

  return (
    <NarrowPage title="Usage">
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
    </NarrowPage>
  );
}
