import { useEffect, type ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router-dom';
import { LoadingBlock } from '@/components/ui/spinner';
import { useAuth } from '@/stores/auth-store';
import { notify } from '@/stores/notifications-store';

/** Signed-out visitors go to /login and come back to where they were. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const status = useAuth((s) => s.status);
  const location = useLocation();
  if (status === 'unknown') return <LoadingBlock label="Loading…" />;
  if (status === 'signed-out') {
    const next = `${location.pathname}${location.search}${location.hash}`;
    return <Navigate to={next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`} replace />;
  }
  return <>{children}</>;
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
