import type { ClientChatFrame } from '@shared/contract/chat-frames';
import { itemFromMessage, useChat, type ChatItem } from '@/features/chat/stores/chat-store';
import { friendlyMessage } from '@/lib/error-messages';
import { ApiError } from '@/lib/api-client';
import { getConversationWithMessages } from './conversation-loader';
import { activeRequests, newRequestId } from './active-requests';
import { chatSocket } from './chat-session';

/** Shows a conversation (null: a new, empty chat). `force` re-reads the one on screen. */
export async function openConversation(id: string | null, force = false): Promise<void> {
  const chat = useChat.getState();
  if (id === chat.conversationId && !force) return;
  if (id === null) {
    chat.set({ conversationId: null, conversation: null, items: [], loading: false, loadError: null });
    return;
  }
  if (!force) chat.set({ conversationId: id, conversation: null, items: [], loading: true, loadError: null });
  try {
    const { conversation, messages } = await getConversationWithMessages(id);
    if (useChat.getState().conversationId !== id) return;
    const items = messages.filter((m) => m.role !== 'system').map(itemFromMessage);
    // Answers still streaming here keep their live state; the server's copy is behind.
    const live = useChat.getState().items.filter((i) => i.requestId && activeRequests.has(i.requestId));
    useChat.getState().set({ conversation, items: mergeLive(items, live), loading: false });
  } catch (error) {
    if (useChat.getState().conversationId !== id) return;
    const code = error instanceof ApiError ? error.code : 'internal';
    useChat
      .getState()
      .set({ loading: false, loadError: { code, message: friendlyMessage(code, (error as Error).message) } });
  }
}

function mergeLive(items: ChatItem[], live: ChatItem[]): ChatItem[] {
  const liveIds = new Set(live.map((i) => i.id).filter(Boolean));
  return [...items.filter((i) => !liveIds.has(i.id)), ...live.filter((i) => !items.some((m) => m.key === i.key))];
}

function start(frame: ClientChatFrame, userItem: ChatItem | null): void {
  const assistantKey = `local-a-${frame.id}`;
  const assistant: ChatItem = {
    key: assistantKey,
    id: null,
    role: 'assistant',
    content: '',
    status: 'waiting',
    requestId: frame.id,
  };
  const chat = useChat.getState();
  chat.set({ items: [...chat.items, ...(userItem ? [userItem] : []), assistant] });
  activeRequests.set(frame.id, {
    frame,
    userKey: userItem?.key ?? null,
    assistantKey,
    conversationId: frame.conversationId ?? null,
    retried: false,
  });
  chatSocket().send(frame);
}

/** Sends a user message in the conversation on screen (or starts a new one). */
export function sendMessage(content: string): void {
  const { conversationId, draftSystemPrompt } = useChat.getState();
  const id = newRequestId();
  const systemPrompt = draftSystemPrompt.trim();
  const frame: ClientChatFrame = conversationId
    ? { type: 'chat', id, conversationId, content }
    : { type: 'chat', id, content, ...(systemPrompt ? { systemPrompt } : {}) };
  start(frame, { key: `local-u-${id}`, id: null, role: 'user', content, status: 'complete' });
}

/** Replaces the last answer with a new one. */
export function regenerate(): void {
  const { conversationId, items } = useChat.getState();
  if (!conversationId) return;
  const last = items.at(-1);
  if (last?.role === 'assistant') useChat.getState().set({ items: items.slice(0, -1) });
  start({ type: 'chat', id: newRequestId(), conversationId, regenerate: true }, null);
}

/** What Continue sends after an answer cut at the length limit: the model goes on from there. */
export const CONTINUE_PROMPT = 'Continue';

/** Asks for the rest of an answer cut at the length limit, as a follow-up turn in the same conversation. */
export function continueAnswer(): void {
  if (useChat.getState().conversationId) sendMessage(CONTINUE_PROMPT);
}

/** Stops an answer; one that never left the browser is dropped on the spot. */
export function stopAnswer(requestId: string): void {
  const socket = chatSocket();
  const request = activeRequests.get(requestId);
  if (request && socket.unqueue((f) => f.type === 'chat' && f.id === requestId)) {
    activeRequests.delete(requestId);
    useChat
      .getState()
      .updateItem(request.assistantKey, { status: 'stopped', finishReason: 'abort', queuePosition: undefined });
    return;
  }
  socket.send({ type: 'stop', id: requestId });
}
