import type { ConversationWithMessages } from '@shared/contract/conversations';
import { api } from '@/lib/api-client';

/** One conversation with its messages; failures are shown in place, not as a notification. */
export const getConversationWithMessages = (id: string) =>
  api.get<ConversationWithMessages>(`/api/conversations/${encodeURIComponent(id)}`, { notify: false });
