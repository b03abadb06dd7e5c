import { create } from 'zustand';

export type NotificationKind = 'error' | 'success' | 'info';

export interface Notification {
  id: number;
  kind: NotificationKind;
  message: string;
}

interface NotificationsState {
  items: Notification[];
  notify(kind: NotificationKind, message: string): void;
  dismiss(id: number): void;
}

/** Errors stay longer: they usually tell the user to do something. */
const LIFETIME_MS: Record<NotificationKind, number> = { error: 8000, success: 4000, info: 5000 };
const MAX_VISIBLE = 4;
let nextId = 1;

export const useNotifications = create<NotificationsState>()((set, get) => ({
  items: [],
  notify(kind, message) {
    // The same message twice in a row (e.g. several requests failing together) shows once.
    if (get().items.some((n) => n.message === message)) return;
    const id = nextId++;
    set((s) => ({ items: [...s.items, { id, kind, message }].slice(-MAX_VISIBLE) }));
    setTimeout(() => get().dismiss(id), LIFETIME_MS[kind]);
  },
  dismiss(id) {
    set((s) => ({ items: s.items.filter((n) => n.id !== id) }));
  },
}));

/** For code outside React (the API client, the socket). */
export const notify = (kind: NotificationKind, message: string) => useNotifications.getState().notify(kind, message);
