import { openConversation } from '@/features/chat/api/chat-actions';
import type { ChatHooks } from '@/features/chat/api/chat-session';
import { useAuth } from '@/features/auth/stores/auth-store';
import { useConversations } from '@/features/conversations/stores/conversations-store';

/** Where chat events meet the other features' state: features do not import each other. */
export const chatHooks: ChatHooks = {
  reload: (conversationId) => void openConversation(conversationId, true),
  sessionLost: () => useAuth.getState().sessionLost(),
  conversationCreated: (summary) => useConversations.getState().upsert(summary),
  answerFinished(conversationId, addedMessages, mayBeRenamed) {
    const conversations = useConversations.getState();
    conversations.touch(conversationId, addedMessages);
    if (mayBeRenamed) conversations.markStale();
  },
};
