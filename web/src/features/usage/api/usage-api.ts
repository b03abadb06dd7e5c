import type { AdminUsage, Limits, LimitsOverride, LimitsTable, MyUsage } from '@shared/contract/usage';
import { api, request } from '@/lib/api-client';

// Reads stay quiet on failure (the page shows it); admin edits notify.
export const getMyUsage = (signal?: AbortSignal) => api.get<MyUsage>('/api/usage', { signal, notify: false });

export const getAdminUsage = (signal?: AbortSignal) =>
  api.get<AdminUsage>('/api/admin/usage', { signal, notify: false });

export const getLimits = (signal?: AbortSignal) => api.get<LimitsTable>('/api/admin/limits', { signal, notify: false });

export const setRoleLimits = (role: 'admin' | 'user', limits: Limits) =>
  request<Limits>('PUT', `/api/admin/limits/roles/${role}`, { body: limits });

export const setUserLimits = (userId: string, limits: LimitsOverride) =>
  request<LimitsOverride>('PUT', `/api/admin/limits/users/${encodeURIComponent(userId)}`, { body: limits });

export const deleteUserLimits = (userId: string) => api.delete(`/api/admin/limits/users/${encodeURIComponent(userId)}`);
