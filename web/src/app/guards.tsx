import { useEffect, type ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router-dom';
import { LoadingBlock } from '@/components/ui/spinner';
import { retrySession } from '@/features/auth/api/auth-api';
import { useAuth } from '@/features/auth/stores/auth-store';
import { notify } from '@/components/ui/notifications/notifications-store';

/** Signed-out visitors go to /login and come back to where they were. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const status = useAuth((s) => s.status);
  const location = useLocation();
  if (status === 'unknown') return <LoadingBlock label="Loading…" />;
  if (status === 'unreachable') return <Unreachable />;
  if (status === 'signed-out') {
    const next = `${location.pathname}${location.search}${location.hash}`;
    return <Navigate to={next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`} replace />;
  }
  return <>{children}</>;
}

/** The server could not be asked who is signed in: say so, and keep asking. */
function Unreachable() {
  useEffect(() => {
    // Back online: ask now rather than at the next attempt.
    window.addEventListener('online', retrySession);
    return () => window.removeEventListener('online', retrySession);
  }, []);
  return (
    <div className="loading-block" role="alert">
      <span>Can’t reach the server. Your session is kept; trying again…</span>
      <button type="button" className="btn btn-ghost" onClick={retrySession}>
        Try now
      </button>
    </div>
  );
}

/** A user who is not an admin is sent back to the chat (the server refuses them anyway). */
export function RequireAdmin({ children }: { children: ReactNode }) {
  const role = useAuth((s) => s.user?.role);
  if (role !== 'admin') return <RedirectWithNotice to="/" message="The admin page is for administrators only." />;
  return <>{children}</>;
}

function RedirectWithNotice({ to, message }: { to: string; message: string }) {
  useEffect(() => notify('info', message), [message]);
  return <Navigate to={to} replace />;
}
