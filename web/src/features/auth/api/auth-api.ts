import type { Credentials, Session, SetupStatus, UserReply } from '@shared/contract/auth';
import { api, ApiError } from '@/lib/api-client';
import { useAuth } from '@/features/auth/stores/auth-store';

export const getSetupStatus = () => api.get<SetupStatus>('/api/auth/setup', { notify: false });

/** Creates the first admin, then signs in as them. */
export async function runSetup(credentials: Credentials): Promise<void> {
  await api.post<UserReply>('/api/auth/setup', credentials, { notify: false });
  await login(credentials);
}

export async function login(credentials: Credentials): Promise<void> {
  const session = await api.post<Session>('/api/auth/login', credentials, { notify: false });
  useAuth.getState().signedIn(session.user);
}

export async function logout(): Promise<void> {
  try {
    await api.post<void>('/api/auth/logout', undefined, { notify: false });
  } finally {
    useAuth.getState().signedOut();
  }
}

/** Waits between asking again while the server cannot be reached (the last one repeats). */
const RETRY_MS = [1000, 2000, 5000, 15_000];
let retry: { timer: ReturnType<typeof setTimeout>; attempt: number } | null = null;

/**
 * Who is signed in, refreshing an expired access token on the way; signed out when the server
 * says so. A server that cannot be reached (offline, restarting) signs nobody out: the session
 * cookies may be fine, so the question is asked again, sooner when `retrySession` is called.
 */
export async function loadSession(attempt = 0): Promise<void> {
  retry = null;
  try {
    const { user } = await api.get<UserReply>('/api/auth/me', { notify: false });
    useAuth.getState().signedIn(user);
  } catch (error) {
    if (!unreachable(error)) return useAuth.getState().signedOut();
    useAuth.getState().unreachable();
    const timer = setTimeout(() => void loadSession(attempt + 1), RETRY_MS[Math.min(attempt, RETRY_MS.length - 1)]);
    retry = { timer, attempt: attempt + 1 };
  }
}

/** Asks at once instead of waiting for the next attempt. */
export function retrySession(): void {
  if (!retry) return;
  clearTimeout(retry.timer);
  void loadSession(retry.attempt);
}

/** No answer, or a gateway or server error: the question itself could not be answered. */
const unreachable = (error: unknown) => error instanceof ApiError && (error.code === 'network' || error.status >= 500);
