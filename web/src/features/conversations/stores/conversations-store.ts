import { create } from 'zustand';
import type { ConversationSummary } from '@shared/contract/conversations';

interface ConversationsState {
  /** The sidebar's list: the user's conversations, most recently active first. */
  items: ConversationSummary[];
  loaded: boolean;
  /** Bumped when the server's copy changed in ways only it knows (a generated title). */
  staleAt: number;
  setItems(items: ConversationSummary[]): void;
  upsert(item: ConversationSummary): void;
  rename(id: string, title: string): void;
  remove(id: string): void;
  /** Moves a conversation to the top after activity. */
  touch(id: string, addedMessages: number): void;
  markStale(): void;
}

const byRecency = (a: ConversationSummary, b: ConversationSummary) => b.updatedAt.localeCompare(a.updatedAt);

export const useConversations = create<ConversationsState>()((set) => ({
  items: [],
  loaded: false,
  staleAt: 0,
  setItems: (items) => set({ items, loaded: true }),
  upsert: (item) => set((s) => ({ items: [item, ...s.items.filter((c) => c.id !== item.id)].sort(byRecency) })),
  rename: (id, title) => set((s) => ({ items: s.items.map((c) => (c.id === id ? { ...c, title } : c)) })),
  remove: (id) => set((s) => ({ items: s.items.filter((c) => c.id !== id) })),
  touch: (id, addedMessages) =>
    set((s) => ({
      items: s.items
        .map((c) =>
          c.id === id ? { ...c, updatedAt: new Date().toISOString(), messageCount: c.messageCount + addedMessages } : c,
        )
        .sort(byRecency),
    })),
  markStale: () => set({ staleAt: Date.now() }),
}));

/** Forgets the signed-in user's list (signing out, or the session ended). */
export const resetConversations = () => useConversations.setState({ items: [], loaded: false });
