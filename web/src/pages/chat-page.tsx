import { useEffect } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { openConversation } from '@/features/chat/api/chat-actions';
import { ChatView } from '@/features/chat/components/chat-view';
import { Icon } from '@/components/ui/icon';
import { PageHeader } from '@/components/ui/page-header';
import { useChat } from '@/features/chat/stores/chat-store';
import { useConversations } from '@/features/conversations/stores/conversations-store';

const CONNECTION_LABEL = {
  idle: 'Offline',
  connecting: 'Connecting',
  open: 'Connected',
  reconnecting: 'Reconnecting',
  offline: 'Offline',
} as const;

/** `/` (a new chat) and `/c/:conversationId`. */
export function ChatPage() {
  const { conversationId } = useParams();
  const navigate = useNavigate();
  const started = useChat((s) => s.startedConversation);
  const connection = useChat((s) => s.connection);
  const listedTitle = useConversations((s) => s.items.find((c) => c.id === conversationId)?.title);
  const loadedTitle = useChat((s) => (s.conversation?.id === conversationId ? s.conversation?.title : undefined));
  const title = conversationId ? (listedTitle ?? loadedTitle ?? 'Conversation') : 'New chat';

  useEffect(() => {
    void openConversation(conversationId ?? null);
  }, [conversationId]);

  // The first answer of a new chat created the conversation: give it its own URL.
  useEffect(() => {
    if (!started) return;
    useChat.getState().set({ startedConversation: null });
    if (!conversationId) navigate(`/c/${started}`, { replace: true });
  }, [started, conversationId, navigate]);

  useEffect(() => {
    document.title = `${title} · PocketLLM`;
  }, [title]);

  return (
    <div className="page page-chat">
      <PageHeader title={title}>
        <span className={`conn conn-${connection}`} title={`Chat connection: ${CONNECTION_LABEL[connection]}`}>
          <span className="conn-dot" aria-hidden="true" />
          <span className="conn-label">{CONNECTION_LABEL[connection]}</span>
        </span>
        {conversationId && (
          <button
            type="button"
            className="icon-btn phone-only"
            onClick={() => navigate('/')}
            aria-label="Start a new chat"
            title="New chat"
          >
            <Icon name="plus" />
          </button>
        )}
      </PageHeader>
      <ChatView />
    </div>
  );
}
