/** TanStack Query hooks, one per API read, and the mutations with the caches each one invalidates. */
import { keepPreviousData, type QueryClient, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type RangeValue, rangeKey, rangeQuery } from '../lib/range';
import { api } from './client';
import type {
  AdminKey,
  AdminKeysPage,
  AdminStatementsResponse,
  CacheStatsResponse,
  CompareResponse,
  CreatedKey,
  CreateKeyBody,
  HourlyUsageResponse,
  Instructions,
  InviteStatus,
  InvitesPage,
  Key,
  KeyPage,
  KeySort,
  LeaderboardResponse,
  LeaderboardScope,
  LeaderboardSort,
  MetaResponse,
  MfaStatus,
  ModelsResponse,
  OverviewResponse,
  ReleaseBody,
  RequestsResponse,
  SessionsPage,
  SortOrder,
  StatementResponse,
  SummaryResponse,
  TokenList,
  UpdateKeyBody,
  UsageResponse,
  UsersPage,
} from './contract';

export const qk = {
  me: ['me'] as const,
  meta: ['meta'] as const,
  keys: ['keys'] as const,
  stats: ['stats'] as const,
  sessions: ['sessions'] as const,
  mfa: ['mfa'] as const,
  tokens: ['tokens'] as const,
  admin: ['admin'] as const,
};

export function useMfaStatus() {
  return useQuery({ queryKey: qk.mfa, queryFn: () => api<MfaStatus>('/api/auth/mfa') });
}

export function useTokens() {
  return useQuery({ queryKey: qk.tokens, queryFn: () => api<TokenList>('/api/tokens') });
}

export function useMeta() {
  return useQuery({ queryKey: qk.meta, queryFn: () => api<MetaResponse>('/api/meta'), staleTime: 10 * 60_000 });
}

export interface KeyListParams {
  page: number;
  pageSize: number;
  status?: string;
  search?: string;
  sort: KeySort;
  order: SortOrder;
}

export function useKeys(p: KeyListParams) {
  return useQuery({
    queryKey: [...qk.keys, 'list', p],
    queryFn: () => api<KeyPage>('/api/keys', { query: { ...p } }),
    placeholderData: keepPreviousData,
  });
}

/** Every key of the user (for pickers): the API pages at 100 at most. */
export function useAllKeys(includeDeleted = false) {
  return useQuery({
    queryKey: [...qk.keys, 'all', includeDeleted],
    queryFn: () =>
      api<KeyPage>('/api/keys', {
        query: { pageSize: 100, sort: 'createdAt', order: 'desc', status: includeDeleted ? 'all' : undefined },
      }),
  });
}

/** A key's own query: shared by its page and the boot's prefetch (pages/registry.tsx). */
export const keyQuery = (id: string) => ({
  queryKey: [...qk.keys, 'one', id],
  queryFn: () => api<Key>(`/api/keys/${id}`),
});

/** A key as a list already loaded has it (the key list, the pickers), with when that list arrived. */
function keyFromLists(qc: QueryClient, id: string): { key: Key; at: number } | undefined {
  for (const q of qc.getQueryCache().findAll({ queryKey: qk.keys })) {
    const items = (q.state.data as Partial<KeyPage> | undefined)?.items;
    const key = Array.isArray(items) ? items.find((k) => k.id === id) : undefined;
    if (key) return { key, at: q.state.dataUpdatedAt };
  }
  return undefined;
}

/**
 * A key's page draws at once when the key list brought it here, and its usage, models and requests start at once
 * too (they wait for the key: a missing key costs one request, not four).
 */
export function useKey(id: string) {
  const qc = useQueryClient();
  return useQuery({
    ...keyQuery(id),
    initialData: () => keyFromLists(qc, id)?.key,
    initialDataUpdatedAt: () => keyFromLists(qc, id)?.at,
  });
}

export function useInstructions(id: string, enabled = true) {
  return useQuery({
    queryKey: [...qk.keys, 'instructions', id],
    queryFn: () => api<Instructions>(`/api/keys/${id}/instructions`),
    enabled,
  });
}

export function useKeyModels(id: string, range: RangeValue, enabled = true) {
  return useQuery({
    queryKey: [...qk.stats, 'models', id, rangeKey(range)],
    queryFn: () => api<ModelsResponse>(`/api/keys/${id}/models`, { query: rangeQuery(range) }),
    placeholderData: keepPreviousData,
    enabled,
  });
}

/** The request log's page and filters (`from`/`to` ISO instants). */
export interface RequestLogParams {
  page: number;
  pageSize: number;
  model?: string;
  from?: string;
  to?: string;
}

export function useKeyRequests(id: string, p: RequestLogParams, enabled = true) {
  return useQuery({
    queryKey: [...qk.stats, 'requests', id, p],
    queryFn: () => api<RequestsResponse>(`/api/keys/${id}/requests`, { query: { ...p } }),
    placeholderData: keepPreviousData,
    enabled,
  });
}

/** Every hour of at most 7 CRS days. */
export function useHourly(range: RangeValue, keyId?: string) {
  return useQuery({
    queryKey: [...qk.stats, 'hourly', rangeKey(range), keyId ?? ''],
    queryFn: () =>
      api<HourlyUsageResponse>('/api/stats/usage', { query: { ...rangeQuery(range), keyId, granularity: 'hour' } }),
    placeholderData: keepPreviousData,
  });
}

export function useSummary(range: RangeValue) {
  return useQuery({
    queryKey: [...qk.stats, 'summary', rangeKey(range)],
    queryFn: () => api<SummaryResponse>('/api/stats/summary', { query: rangeQuery(range) }),
    placeholderData: keepPreviousData,
  });
}

export function useStatement(month: string) {
  return useQuery({
    queryKey: [...qk.stats, 'statement', month],
    queryFn: () => api<StatementResponse>('/api/stats/statement', { query: { month } }),
    placeholderData: keepPreviousData,
  });
}

export function useAdminStatements(month: string) {
  return useQuery({
    queryKey: [...qk.admin, 'statements', month],
    queryFn: () => api<AdminStatementsResponse>('/api/admin/statements', { query: { month } }),
    placeholderData: keepPreviousData,
  });
}

/** Usage over a range, of every key or one: shared by the pages and the boot's prefetch (pages/registry.tsx). */
export const usageQuery = (range: RangeValue, keyId?: string) => ({
  queryKey: [...qk.stats, 'usage', rangeKey(range), keyId ?? ''],
  queryFn: () => api<UsageResponse>('/api/stats/usage', { query: { ...rangeQuery(range), keyId } }),
});

export function useUsage(range: RangeValue, keyId?: string, enabled = true) {
  return useQuery({ ...usageQuery(range, keyId), placeholderData: keepPreviousData, enabled });
}

export function useCompare(keyIds: string[], range: RangeValue) {
  return useQuery({
    queryKey: [...qk.stats, 'compare', keyIds.join(','), rangeKey(range)],
    queryFn: () =>
      api<CompareResponse>('/api/stats/compare', { query: { keyIds: keyIds.join(','), ...rangeQuery(range) } }),
    enabled: keyIds.length >= 2,
    placeholderData: keepPreviousData,
  });
}

/** `range` null: lifetime totals; else the usage of the range. */
export function useLeaderboard(
  sortBy: LeaderboardSort,
  scope: LeaderboardScope,
  limit: number,
  range: RangeValue | null,
) {
  return useQuery({
    queryKey: [...qk.stats, 'leaderboard', sortBy, scope, limit, range ? rangeKey(range) : 'lifetime'],
    queryFn: () =>
      api<LeaderboardResponse>('/api/stats/leaderboard', {
        query: { sortBy, scope, limit, ...(range ? rangeQuery(range) : {}) },
      }),
    placeholderData: keepPreviousData,
  });
}

export function useSessions(page: number, pageSize: number) {
  return useQuery({
    queryKey: [...qk.sessions, page, pageSize],
    queryFn: () => api<SessionsPage>('/api/auth/sessions', { query: { page, pageSize } }),
    placeholderData: keepPreviousData,
  });
}

export function useOverview() {
  return useQuery({
    queryKey: [...qk.admin, 'overview'],
    queryFn: () => api<OverviewResponse>('/api/admin/overview'),
    // The sync status changes by itself; a slow poll keeps "last run" honest while the page is open.
    refetchInterval: 15_000,
  });
}

export function useAdminUsers(page: number, pageSize: number, search: string) {
  return useQuery({
    queryKey: [...qk.admin, 'users', page, pageSize, search],
    queryFn: () => api<UsersPage>('/api/admin/users', { query: { page, pageSize, search } }),
    placeholderData: keepPreviousData,
  });
}

/** Keys the operator holds (disabled or limited in CRS), newest hold first. */
export function useHeldKeys(page: number, pageSize: number) {
  return useQuery({
    queryKey: [...qk.admin, 'keys', page, pageSize],
    queryFn: () => api<AdminKeysPage>('/api/admin/keys', { query: { locked: 'true', page, pageSize } }),
    placeholderData: keepPreviousData,
  });
}

export function useInvites(page: number, pageSize: number, status?: InviteStatus) {
  return useQuery({
    queryKey: [...qk.admin, 'invites', page, pageSize, status ?? ''],
    queryFn: () => api<InvitesPage>('/api/admin/invites', { query: { page, pageSize, status } }),
    placeholderData: keepPreviousData,
  });
}

/** Releases what the operator holds on a key (everything by default): its owner may change it again. */
export function useReleaseKey() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, fields }: { id: string } & ReleaseBody) =>
      api<AdminKey>(`/api/admin/keys/${id}/release`, { method: 'POST', body: fields ? { fields } : {} }),
    onSuccess: () =>
      Promise.all([qc.invalidateQueries({ queryKey: qk.admin }), qc.invalidateQueries({ queryKey: qk.keys })]),
  });
}

export function useCacheStats() {
  return useQuery({ queryKey: [...qk.admin, 'cache'], queryFn: () => api<CacheStatsResponse>('/api/admin/cache') });
}

/** Key writes change lists, details and every usage view that names the key. */
function useInvalidateKeys() {
  const qc = useQueryClient();
  return () => Promise.all([qc.invalidateQueries({ queryKey: qk.keys }), qc.invalidateQueries({ queryKey: qk.stats })]);
}

export function useCreateKey() {
  const invalidate = useInvalidateKeys();
  return useMutation({
    mutationFn: (input: CreateKeyBody) => api<CreatedKey>('/api/keys', { method: 'POST', body: input }),
    onSuccess: () => invalidate(),
  });
}

export function useUpdateKey() {
  const invalidate = useInvalidateKeys();
  return useMutation({
    mutationFn: ({ id, input }: { id: string; input: UpdateKeyBody }) =>
      api<Key>(`/api/keys/${id}`, { method: 'PATCH', body: input }),
    onSuccess: () => invalidate(),
  });
}

export function useDeleteKey() {
  const invalidate = useInvalidateKeys();
  return useMutation({
    mutationFn: (id: string) => api<void>(`/api/keys/${id}`, { method: 'DELETE' }),
    onSuccess: () => invalidate(),
  });
}
