import { useNotifications } from '@/components/ui/notifications/notifications-store';
import { Icon } from '../icon';

/** Notifications from anywhere in the app; errors are announced assertively. */
export function Toasts() {
  const items = useNotifications((s) => s.items);
  const dismiss = useNotifications((s) => s.dismiss);
  return (
    <div className="toasts" aria-live="polite">
      {items.map((n) => (
        <div key={n.id} className={`toast toast-${n.kind}`} role={n.kind === 'error' ? 'alert' : 'status'}>
          <Icon name={n.kind === 'error' ? 'warning' : n.kind === 'success' ? 'check' : 'info'} />
          <p>{n.message}</p>
          <button type="button" className="icon-btn" onClick={() => dismiss(n.id)} aria-label="Dismiss notification">
            <Icon name="close" size={16} />
          </button>
        </div>
      ))}
    </div>
  );
}
