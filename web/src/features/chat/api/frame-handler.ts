import type { ServerDoneFrame, ServerErrorFrame, ServerFrame, ServerStartFrame } from '@shared/contract/chat-frames';
import type { ConversationSummary } from '@shared/contract/conversations';
import type { RateLimitKind } from '@shared/contract/errors';
import { friendlyMessage } from '@/lib/error-messages';
import { useChat } from '@/features/chat/stores/chat-store';
import { notify } from '@/components/ui/notifications/notifications-store';
import { activeRequests } from './active-requests';

/**
 * What the handler asks of others: the socket layer (kept apart so this file has no socket)
 * and the app, which keeps the list of conversations (another feature's state).
 */
export interface FrameEffects {
  /** Refreshes the session and re-sends the request; resolves false if that is impossible. */
  retryAfterRefresh(requestId: string): Promise<boolean>;
  /** The server created a conversation for the new chat on screen. */
  conversationCreated(summary: ConversationSummary): void;
  /**
   * An answer finished in a conversation that gained `addedMessages`; `mayBeRenamed`: it was
   * new, and the server may title it after its first answer.
   */
  answerFinished(conversationId: string, addedMessages: number, mayBeRenamed: boolean): void;
}

/**
 * Token text waiting to be shown, by answer key. A fast model sends hundreds of tokens a
 * second; rendering (and re-parsing Markdown) for each would starve the page, so text is
 * shown in batches a few times a second, less often as an answer grows long.
 */
const pendingText = new Map<string, string>();
let flushTimer: ReturnType<typeof setTimeout> | undefined;
const FLUSH_MS = 50;
const FLUSH_LONG_MS = 150;
const LONG_ANSWER_CHARS = 8000;

function queueText(key: string, text: string): void {
  pendingText.set(key, (pendingText.get(key) ?? '') + text);
  if (flushTimer !== undefined) return;
  const long = useChat.getState().items.some((i) => i.key === key && i.content.length > LONG_ANSWER_CHARS);
  flushTimer = setTimeout(flushText, long ? FLUSH_LONG_MS : FLUSH_MS);
}

/** Shows all token text received so far (before an answer's final state is applied). */
export function flushText(): void {
  clearTimeout(flushTimer);
  flushTimer = undefined;
  if (pendingText.size === 0) return;
  const batch = new Map(pendingText);
  pendingText.clear();
  useChat.setState((s) => ({
    items: s.items.map((i) => {
      const text = batch.get(i.key);
      return text === undefined
        ? i
        : { ...i, content: i.content + text, status: 'streaming', queuePosition: undefined };
    }),
  }));
}

/** Applies one server frame to the chat state. */
export function handleFrame(frame: ServerFrame, effects: FrameEffects): void {
  switch (frame.type) {
    case 'queued':
      return withRequest(frame.id, (key) =>
        useChat.getState().updateItem(key, { status: 'waiting', queuePosition: frame.position }),
      );
    case 'start':
      return onStart(frame, effects);
    case 'token':
      return withRequest(frame.id, (key) => queueText(key, frame.text));
    case 'done':
      flushText();
      return onDone(frame, effects);
    case 'error':
      flushText();
      return onError(frame, effects);
    default:
      return undefined;
  }
}

function withRequest(requestId: string, apply: (assistantKey: string) => void): void {
  const request = activeRequests.get(requestId);
  if (request) apply(request.assistantKey);
}

function onStart(frame: ServerStartFrame, effects: FrameEffects): void {
  const request = activeRequests.get(frame.id);
  if (!request) return;
  const chat = useChat.getState();
  const onScreen = chat.items.some((i) => i.key === request.assistantKey);
  const isNew = request.conversationId === null;
  request.conversationId = frame.conversationId;
  if (!onScreen) return;
  if (request.userKey) chat.updateItem(request.userKey, { id: frame.userMessageId });
  chat.updateItem(request.assistantKey, {
    id: frame.assistantMessageId,
    status: 'streaming',
    queuePosition: undefined,
  });
  if (isNew && chat.conversationId === null) {
    chat.set({
      conversationId: frame.conversationId,
      startedConversation: frame.conversationId,
      draftSystemPrompt: '',
    });
    const now = new Date().toISOString();
    const title = (request.frame.content ?? 'New chat').trim().slice(0, 80);
    effects.conversationCreated({ id: frame.conversationId, title, createdAt: now, updatedAt: now, messageCount: 1 });
  }
}

function onDone(frame: ServerDoneFrame, effects: FrameEffects): void {
  const request = activeRequests.get(frame.id);
  if (!request) return;
  activeRequests.delete(frame.id);
  useChat.getState().updateItem(request.assistantKey, {
    id: frame.assistantMessageId,
    status: frame.finishReason === 'abort' ? 'stopped' : 'complete',
    finishReason: frame.finishReason,
    cached: frame.cached,
    tokensPerSecond: frame.timings.tokensPerSecond,
    droppedMessages: frame.context.droppedMessages,
    queuePosition: undefined,
  });
  if (request.conversationId) {
    effects.answerFinished(request.conversationId, request.frame.regenerate ? 0 : 2, !request.frame.conversationId);
  }
}

function onError(frame: ServerErrorFrame, effects: FrameEffects): void {
  const message = describeError(frame);
  const request = frame.id === undefined ? undefined : activeRequests.get(frame.id);
  if (!request) {
    // The socket's own last word before a restart: it reconnects by itself, nothing failed.
    if (frame.code === 'server_restarting') notify('info', 'The server is restarting; the chat reconnects by itself.');
    else notify('error', message);
    return;
  }
  if (frame.code === 'unauthenticated' && !request.retried) {
    request.retried = true;
    void effects
      .retryAfterRefresh(frame.id!)
      .then((ok) => ok || fail(frame.id!, request.assistantKey, frame.code, message));
    return;
  }
  if (frame.conversationId && frame.userMessageId && frame.assistantMessageId) {
    // The turn was stored before it failed: show it as stored (a new conversation joins the
    // sidebar), so Regenerate retries into it instead of starting a duplicate.
    const { conversationId, userMessageId, assistantMessageId } = frame;
    onStart({ type: 'start', id: frame.id!, conversationId, userMessageId, assistantMessageId }, effects);
    fail(frame.id!, request.assistantKey, frame.code, message);
    effects.answerFinished(conversationId, request.frame.regenerate ? 0 : 2, !request.frame.conversationId);
    return;
  }
  fail(frame.id!, request.assistantKey, frame.code, message);
}

function fail(requestId: string, assistantKey: string, code: string, message: string): void {
  activeRequests.delete(requestId);
  // Cut off by a restart: kept as the server stored it (interrupted), with what arrived so far.
  const status = code === 'server_restarting' ? 'interrupted' : 'error';
  useChat.getState().updateItem(assistantKey, { status, error: { code, message }, queuePosition: undefined });
}

function describeError(frame: ServerErrorFrame): string {
  const text = friendlyMessage(frame.code, frame.message);
  if (frame.code === 'busy' && frame.retryAfterMs) return `${text} (about ${Math.ceil(frame.retryAfterMs / 1000)} s)`;
  if (frame.code === 'rate_limited' && frame.limit && frame.retryAfterMs !== undefined) {
    return `You've reached your ${LIMIT_NAMES[frame.limit]} limit; it resets at ${clockTime(Date.now() + frame.retryAfterMs)}.`;
  }
  return text;
}

const LIMIT_NAMES: Record<RateLimitKind, string> = {
  requests: 'requests per minute',
  tokens: 'daily token',
  concurrent: 'concurrent',
};

/** HH:MM in the browser's time zone. */
function clockTime(ms: number): string {
  const at = new Date(ms);
  return `${String(at.getHours()).padStart(2, '0')}:${String(at.getMinutes()).padStart(2, '0')}`;
}
