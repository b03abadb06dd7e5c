import { useEffect, useState } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import { AuthForm } from '@/features/auth/components/auth-form';
import { getSetupStatus } from '@/features/auth/api/auth-api';
import { Icon } from '@/components/ui/icon';
import { LoadingBlock } from '@/components/ui/spinner';
import { useAuth } from '@/features/auth/stores/auth-store';

/** Only paths of this site: `next=//evil.example` must not become an open redirect. */
function safeNext(next: string | null): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  return next.startsWith('/login') ? '/' : next;
}

export function LoginPage() {
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const navigate = useNavigate();
  const status = useAuth((s) => s.status);
  const expired = useAuth((s) => s.expired);
  const [mode, setMode] = useState<'login' | 'setup' | null>(null);

  useEffect(() => {
    getSetupStatus()
      .then((s) => setMode(s.needed ? 'setup' : 'login'))
      .catch(() => setMode('login'));
  }, []);

  useEffect(() => {
    document.title = mode === 'setup' ? 'Set up · PocketLLM' : 'Sign in · PocketLLM';
  }, [mode]);

  if (status === 'signed-in') return <Navigate to={next} replace />;

  return (
    <main className="auth-page">
      <div className="auth-card">
        <div className="auth-brand">
          <span className="brand-mark" aria-hidden="true">
            <Icon name="chat" size={22} />
          </span>
          <span className="brand-name">PocketLLM</span>
        </div>
        {mode === null ? (
          <LoadingBlock />
        ) : (
          <>
            <h1 className="auth-title welcome-title">
              {mode === 'setup' ? 'Welcome! Create the admin account' : 'Sign in'}
            </h1>
            <p className="auth-subtitle welcome-text">
              {mode === 'setup'
                ? 'This portal has no users yet. The account you create now can manage everything, including other users.'
                : 'Chat privately with the model running on this server.'}
            </p>
            {expired && mode === 'login' && (
              <p className="notice" role="status">
                <Icon name="info" size={16} /> Your session ended. Sign in again to pick up where you left off.
              </p>
            )}
            <AuthForm key={mode} mode={mode} onDone={() => navigate(next, { replace: true })} />
          </>
        )}
      </div>
    </main>
  );
}
