import type { ReactNode } from 'react';
import { LoadingBlock } from './spinner';

/** What a polled load shows: its data once there, else the error, else a spinner. */
export function Loaded<T>({
  poll,
  loadingLabel,
  children,
}: {
  poll: { data: T | null; error: Error | null };
  loadingLabel: string;
  children(data: T): ReactNode;
}) {
  if (poll.data !== null) return children(poll.data);
  if (poll.error) return <p className="panel-error">{poll.error.message}</p>;
  return <LoadingBlock label={loadingLabel} />;
}
