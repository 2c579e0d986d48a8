/** TanStack Query hooks of /api/notifications: settings, channels, the delivery log and the admin's defaults. */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';
import type {
  ChannelCreateBody,
  ChannelCreated,
  ChannelPatch,
  ChannelView,
  DefaultsBody,
  DeliveryLogPage,
  NotificationSettings,
  NotifyDefaults,
  SettingsPatch,
  TestResult,
} from './contract';

export const nk = {
  all: ['notifications'] as const,
  settings: ['notifications', 'settings'] as const,
  log: ['notifications', 'log'] as const,
  admin: ['notifications', 'admin'] as const,
};

export function useNotificationSettings() {
  return useQuery({ queryKey: nk.settings, queryFn: () => api<NotificationSettings>('/api/notifications/settings') });
}

/** Every change to settings or channels can change the log too (a test message, cancelled deliveries). */
function useRefresh() {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: nk.all });
}

export function useUpdateNotificationSettings() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: SettingsPatch) =>
      api<NotificationSettings>('/api/notifications/settings', { method: 'PATCH', body }),
    onSuccess: (data) => qc.setQueryData(nk.settings, data),
  });
}

export function useCreateChannel() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (body: ChannelCreateBody) =>
      api<ChannelCreated>('/api/notifications/channels', { method: 'POST', body }),
    onSuccess: () => refresh(),
  });
}

export function useUpdateChannel() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: ChannelPatch }) =>
      api<ChannelView>(`/api/notifications/channels/${id}`, { method: 'PATCH', body }),
    onSuccess: () => refresh(),
  });
}

export function useDeleteChannel() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (id: string) => api<void>(`/api/notifications/channels/${id}`, { method: 'DELETE' }),
    onSuccess: () => refresh(),
  });
}

export function useTestChannel() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (id: string) => api<TestResult>(`/api/notifications/channels/${id}/test`, { method: 'POST' }),
    onSuccess: () => refresh(),
  });
}

export function useDeliveryLog(page: number, pageSize: number, admin = false) {
  const path = admin ? '/api/notifications/admin/deliveries' : '/api/notifications/deliveries';
  return useQuery({
    queryKey: [...nk.log, admin, page, pageSize],
    queryFn: () => api<DeliveryLogPage>(path, { query: { page, pageSize } }),
    placeholderData: keepPreviousData,
  });
}

export function useNotifyDefaults() {
  return useQuery({
    queryKey: [...nk.admin, 'defaults'],
    queryFn: () => api<NotifyDefaults>('/api/notifications/admin/defaults'),
  });
}

export function useUpdateNotifyDefaults() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (body: DefaultsBody) =>
      api<NotifyDefaults>('/api/notifications/admin/defaults', { method: 'PATCH', body }),
    onSuccess: () => refresh(),
  });
}
