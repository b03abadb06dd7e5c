import type { ClientChatFrame } from '@shared/contract/chat-frames';

/** A chat request the server has not finished yet. */
export interface ActiveRequest {
  frame: ClientChatFrame;
  /** Keys of the chat items it fills. */
  userKey: string | null;
  assistantKey: string;
  /** The conversation it belongs to; null until `start` for a new conversation. */
  conversationId: string | null;
  /** Already re-sent once after refreshing the session. */
  retried: boolean;
}

/** Requests in flight, by request id. Module state: there is one chat socket per tab. */
export const activeRequests = new Map<string, ActiveRequest>();

/** A request id unique enough for one socket; crypto.randomUUID needs a secure context. */
export function newRequestId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  return `r-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}
