import { create } from 'zustand';
import type { FinishReason } from '@shared/contract/chat-frames';
import type { Conversation, Message, MessageRole, MessageStatus } from '@shared/contract/conversations';
import { friendlyMessage } from '@/lib/error-messages';

/** A message as the chat view shows it, including answers still on their way. */
export interface ChatItem {
  /** Stable React key: a local id until the server names the message, which never changes it. */
  key: string;
  /** The server's id once `start` named it. */
  id: string | null;
  role: MessageRole;
  content: string;
  status: MessageStatus | 'waiting' | 'streaming';
  /** The socket request producing this answer. */
  requestId?: string;
  /** Place in the server's queue while waiting. */
  queuePosition?: number;
  cached?: boolean;
  tokensPerSecond?: number;
  /** Older messages left out of the model's context for this answer (live answers only). */
  droppedMessages?: number;
  finishReason?: FinishReason;
  error?: { code: string; message: string };
}

export type ConnectionState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'offline';

interface ChatState {
  /** The conversation on screen; null for a new chat that has no server id yet. */
  conversationId: string | null;
  conversation: Conversation | null;
  items: ChatItem[];
  loading: boolean;
  loadError: { code: string; message: string } | null;
  connection: ConnectionState;
  /** Set when the server created a conversation for the new chat on screen: the URL follows. */
  startedConversation: string | null;
  /** System prompt typed for the next new conversation. */
  draftSystemPrompt: string;
  set(partial: Partial<ChatState>): void;
  updateItem(key: string, change: Partial<ChatItem> | ((item: ChatItem) => Partial<ChatItem>)): void;
}

const initial = {
  conversationId: null,
  conversation: null,
  items: [],
  loading: false,
  loadError: null,
  connection: 'idle',
  startedConversation: null,
  draftSystemPrompt: '',
} satisfies Partial<ChatState>;

export const useChat = create<ChatState>()((set) => ({
  ...initial,
  set: (partial) => set(partial),
  updateItem: (key, change) =>
    set((s) => ({
      items: s.items.map((item) =>
        item.key === key ? { ...item, ...(typeof change === 'function' ? change(item) : change) } : item,
      ),
    })),
}));

/** Forgets the signed-in user's chat (signing out, or the session ended). */
export const resetChat = () => useChat.setState(initial);

export function itemFromMessage(message: Message): ChatItem {
  return {
    key: message.id,
    id: message.id,
    role: message.role,
    content: message.content,
    status: message.status,
    cached: message.cached,
    tokensPerSecond: message.timings?.tokensPerSecond,
    finishReason: message.finishReason,
    ...(message.status === 'error'
      ? { error: { code: message.errorCode ?? 'internal', message: friendlyMessage(message.errorCode ?? 'internal') } }
      : {}),
  };
}

/** An answer the model ended at its token budget: marked as cut off, and offered Continue. */
export const cutAtLengthLimit = (item: ChatItem): boolean =>
  item.role === 'assistant' && item.status === 'complete' && item.finishReason === 'length';

/** True while an answer is being produced in the conversation on screen. */
export const selectBusy = (s: ChatState) => s.items.some((i) => i.status === 'waiting' || i.status === 'streaming');
