import { configureApiClient } from '@/lib/api-client';
import { notify } from '@/components/ui/notifications/notifications-store';
import { useAuth } from '@/features/auth/stores/auth-store';

/** Connects the API client to the app's state: who is signed in, and the notifications. */
export function connectApiClient(): void {
  configureApiClient({
    onSessionRenewed: (session) => useAuth.getState().signedIn(session.user),
    onSessionLost: () => useAuth.getState().sessionLost(),
    onError: (message) => notify('error', message),
  });
}
