import { create } from 'zustand';
import type { User } from '@shared/contract/auth';

/** 'unreachable': the server could not be asked who is signed in (offline, restarting); asked again soon. */
export type AuthStatus = 'unknown' | 'signed-in' | 'signed-out' | 'unreachable';

interface AuthState {
  user: User | null;
  /** 'unknown' until the first /api/auth/me answered: guards wait instead of redirecting. */
  status: AuthStatus;
  /** True when a session ended by itself (a failed refresh), so /login can say why. */
  expired: boolean;
  signedIn(user: User): void;
  signedOut(): void;
  sessionLost(): void;
  unreachable(): void;
}

export const useAuth = create<AuthState>()((set, get) => ({
  user: null,
  status: 'unknown',
  expired: false,
  signedIn: (user) => set({ user, status: 'signed-in', expired: false }),
  signedOut: () => set({ user: null, status: 'signed-out', expired: false }),
  sessionLost: () => set({ user: null, status: 'signed-out', expired: get().status === 'signed-in' }),
  unreachable: () => set({ user: null, status: 'unreachable' }),
}));
