import { refreshSession } from '@/lib/api-client';
import { useChat } from '@/features/chat/stores/chat-store';
import { activeRequests } from './active-requests';
import { ChatSocket } from './chat-socket';
import { flushText, handleFrame, type FrameEffects } from './frame-handler';

/** What the chat needs from the rest of the app, which `connectChat` is given. */
export interface ChatHooks extends Omit<FrameEffects, 'retryAfterRefresh'> {
  /** Re-reads a conversation whose answer was cut off by a drop. */
  reload(conversationId: string): void;
  /** The server refused the session and a refresh could not renew it. */
  sessionLost(): void;
}

const noHooks: ChatHooks = {
  reload: () => undefined,
  sessionLost: () => undefined,
  conversationCreated: () => undefined,
  answerFinished: () => undefined,
};

let socket: ChatSocket | null = null;
let hooks = noHooks;
/** The conversation to reload from the server once the socket is back (answers were cut off). */
let reloadOnReady: string | null = null;

const INTERRUPTED = {
  code: 'network',
  message:
    'The connection dropped before the answer finished. It will reconnect by itself; then Regenerate to try again.',
};

/** The tab's chat socket, created on first use. */
export function chatSocket(): ChatSocket {
  socket ??= new ChatSocket({
    onFrame(frame) {
      if (frame.type === 'ready' && reloadOnReady && reloadOnReady === useChat.getState().conversationId) {
        hooks.reload(reloadOnReady);
        reloadOnReady = null;
      }
      handleFrame(frame, { ...hooks, retryAfterRefresh });
    },
    onState: (connection) => useChat.getState().set({ connection }),
    onDrop,
    async onUnauthenticated() {
      // Unreachable (refreshSession threw): keep the session and reconnect with backoff.
      if (await refreshSession().catch(() => true)) return true;
      hooks.sessionLost();
      return false;
    },
  });
  return socket;
}

/** A close asked for by an unmount, not yet carried out. */
let pendingClose: ReturnType<typeof setTimeout> | undefined;

/**
 * Opens the socket for the signed-in part of the app; the returned function closes it. The
 * close waits one task: React may unmount and at once remount the layout (as it does right
 * after signing in), and that must keep the socket rather than open a second one.
 */
export function connectChat(appHooks: ChatHooks): () => void {
  hooks = appHooks;
  clearTimeout(pendingClose);
  const s = chatSocket();
  s.open();
  const online = () => s.retryNow();
  window.addEventListener('online', online);
  return () => {
    window.removeEventListener('online', online);
    pendingClose = setTimeout(disconnectChat, 0);
  };
}

/** Closes the socket (signing out). */
export function disconnectChat(): void {
  clearTimeout(pendingClose);
  socket?.close();
  activeRequests.clear();
}

function onDrop(): void {
  flushText();
  const chat = useChat.getState();
  for (const [id, request] of activeRequests) {
    // Still in the outbox: it never reached the server and goes out after reconnecting.
    if (socket?.isQueued(id)) continue;
    activeRequests.delete(id);
    chat.updateItem(request.assistantKey, { status: 'interrupted', error: INTERRUPTED, queuePosition: undefined });
    if (request.conversationId && request.conversationId === chat.conversationId)
      reloadOnReady = request.conversationId;
  }
}

/** The server refused a request because the access token expired: renew it and send again. */
async function retryAfterRefresh(requestId: string): Promise<boolean> {
  const request = activeRequests.get(requestId);
  // undefined: the server could not be asked; this request fails, the session stays.
  const session = await refreshSession().catch(() => undefined);
  if (session === null) hooks.sessionLost();
  if (!request || !session) return false;
  useChat.getState().updateItem(request.assistantKey, { status: 'waiting' });
  chatSocket().reauthenticate(session.accessToken, request.frame);
  return true;
}
