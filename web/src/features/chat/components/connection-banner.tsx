import type { ConnectionState } from '@/features/chat/stores/chat-store';
import { Spinner } from '@/components/ui/spinner';

const TEXT: Partial<Record<ConnectionState, string>> = {
  reconnecting: 'Connection lost. Reconnecting…',
  offline: 'You are offline. Messages will send when the connection is back.',
};

/** Tells the user when the chat connection is down; nothing while all is well. */
export function ConnectionBanner({ state }: { state: ConnectionState }) {
  const text = TEXT[state];
  if (!text) return null;
  return (
    <div className="connection-banner" role="status">
      <Spinner label="" />
      <span>{text}</span>
    </div>
  );
}
