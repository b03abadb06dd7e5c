import type { Credentials, SessionResponse, SetupStatus, UserResponse } from '@shared/api';
import { api } from '@/lib/api-client';
import { useAuth } from '@/stores/auth-store';

export const getSetupStatus = () => api.get<SetupStatus>('/api/auth/setup', { notify: false });

/** Creates the first admin, then signs in as them. */
export async function runSetup(credentials: Credentials): Promise<void> {
  await api.post<UserResponse>('/api/auth/setup', credentials, { notify: false });
  await login(credentials);
}

export async function login(credentials: Credentials): Promise<void> {
  const session = await api.post<SessionResponse>('/api/auth/login', credentials, { notify: false });
  useAuth.getState().signedIn(session.user);
}

export async function logout(): Promise<void> {
  try {
    await api.post<void>('/api/auth/logout', undefined, { notify: false });
  } finally {
    useAuth.getState().signedOut();
  }
}

/** Who is signed in, refreshing an expired access token on the way; signed out otherwise. */
export async function loadSession(): Promise<void> {
  try {
    const { user } = await api.get<UserResponse>('/api/auth/me', { notify: false });
    useAuth.getState().signedIn(user);
  } catch {
    useAuth.getState().signedOut();
  }
}
