import type { AdminApiKeyList, ApiKeyList, CreateApiKeyBody, CreatedApiKey } from '@shared/contract/api-keys';
import { api } from '@/lib/api-client';

// Lists stay quiet on failure (the page shows it); user actions notify.
export const listKeys = (signal?: AbortSignal) => api.get<ApiKeyList>('/api/keys', { signal, notify: false });
export const createKey = (input: CreateApiKeyBody) => api.post<CreatedApiKey>('/api/keys', input);
export const revokeKey = (id: string) => api.delete(`/api/keys/${encodeURIComponent(id)}`);

export const listAllKeys = (signal?: AbortSignal) =>
  api.get<AdminApiKeyList>('/api/admin/keys', { signal, notify: false });
export const revokeAnyKey = (id: string) => api.delete(`/api/admin/keys/${encodeURIComponent(id)}`);
