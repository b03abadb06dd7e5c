import type {
  AdminMetrics,
  AdminUserList,
  AdminUserReply,
  AuditPage,
  CacheFlushResult,
  MetricsHistory,
  NewUserBody,
  UserPatchBody,
} from '@shared/contract/admin';
import { api } from '@/lib/api-client';

// Polls stay quiet on failure (the panel shows it); user actions notify.
export const getMetrics = (signal?: AbortSignal) =>
  api.get<AdminMetrics>('/api/admin/metrics', { signal, notify: false });
export const getMetricsHistory = (signal?: AbortSignal) =>
  api.get<MetricsHistory>('/api/admin/metrics/history', { signal, notify: false });
export const flushCache = () => api.post<CacheFlushResult>('/api/admin/cache/flush');

export const listUsers = (signal?: AbortSignal) =>
  api.get<AdminUserList>('/api/admin/users', { signal, notify: false });
export const createUser = (input: NewUserBody) => api.post<AdminUserReply>('/api/admin/users', input);
export const updateUser = (id: string, patch: UserPatchBody) =>
  api.patch<AdminUserReply>(`/api/admin/users/${encodeURIComponent(id)}`, patch);
export const deleteUser = (id: string) => api.delete(`/api/admin/users/${encodeURIComponent(id)}`);

export const listAudit = (signal?: AbortSignal) =>
  api.get<AuditPage>('/api/admin/audit', { query: { limit: 50 }, signal, notify: false });
