import type {
  ConversationListQuery,
  ConversationPage,
  ConversationReply,
  ExportFormat,
} from '@shared/contract/conversations';
import { api, requestRaw } from '@/lib/api-client';
import { saveResponse } from '@/lib/download';
import { useConversations } from '@/features/conversations/stores/conversations-store';

const base = '/api/conversations';
const one = (id: string) => `${base}/${encodeURIComponent(id)}`;

export const listConversations = (query: ConversationListQuery = {}, signal?: AbortSignal) =>
  api.get<ConversationPage>(base, { query: { ...query }, signal });

/** Reloads the sidebar's list (first page: the sidebar shows recent chats only). */
export async function refreshConversationList(): Promise<void> {
  const { conversations } = await listConversations({ limit: 50 });
  useConversations.getState().setItems(conversations);
}

export async function renameConversation(id: string, title: string): Promise<void> {
  await api.patch<ConversationReply>(one(id), { title });
  useConversations.getState().rename(id, title);
}

export async function deleteConversation(id: string): Promise<void> {
  await api.delete(one(id));
  useConversations.getState().remove(id);
}

export async function exportConversation(id: string, format: ExportFormat): Promise<void> {
  const res = await requestRaw('GET', `${one(id)}/export`, { query: { format } });
  await saveResponse(res, `conversation.${format === 'json' ? 'json' : 'md'}`);
}
