import { keysTrendReader, usageStatsReader } from './hot-parse.js';
import { healthSchema } from './key-schemas.js';
import { parseWith } from './loose.js';
import type { Requester } from './request.js';
import {
  dashboardSchema,
  modelStatsSchema,
  usageRecordsSchema,
  usageTrendSchema,
  userStatsSchema,
} from './stats-schemas.js';
import { type CrsRequest, endpointOf } from './transport.js';
import type { BatchSink, CrsClient, CrsKeyUsage, CrsModelPeriod } from './types.js';

/** Statistics routes (docs/crs.md §5) and /health. */
type StatsMethods = Pick<
  CrsClient,
  | 'usageStats'
  | 'usageStats'
  | 'streamUsageStats'
  | 'keysUsageTrend'
  | 'keysHourlyTrend'
  | 'keyLimitFigures'
  | 'usageTrend'
  | 'dashboard'
  | 'keyModelStats'
  | 'keyUsageRecords'
  | 'health'
>;

const days = (n: number) => {
  if (!Number.isInteger(n) || n < 1 || n > 366) throw new RangeError(`days must be an integer in 1..366, got ${n}`);
  return n;
};

export function statsMethods(requester: Requester, bulkTimeoutMs: number): StatsMethods {
  const get = <T>(req: Omit<CrsRequest, 'method'>, parse: (body: unknown) => T) =>
    requester.call({ method: 'GET', ...req }, parse);
  const schema = <S extends Parameters<typeof parseWith>[0]>(s: S, route: string) => parseWith(s, `GET ${route}`);

  const streamUsageStats: StatsMethods['streamUsageStats'] = (sink) =>
    get({ route: '/admin/usage-stats', timeoutMs: bulkTimeoutMs, read: () => usageStatsReader(sink) }, () => {});

  return {
    // The sync's bulk reads: big answers at 100k keys, hence the longer timeout and the streamed readers (the
    // parse step only hands back what the reader built).
    streamUsageStats,

    usageStats: () => collectUsageStats((sink) => streamUsageStats(sink)),

    keysUsageTrend: (n, onBatch) =>
      get(
        {
          route: '/admin/api-keys-usage-trend',
          query: { granularity: 'day', days: days(n) },
          timeoutMs: bulkTimeoutMs,
          read: () => keysTrendReader(onBatch),
        },
        () => undefined,
      ),

    // CRS takes at most 24 h per hourly call (400 otherwise, docs/crs.md §5.7); the caller splits longer spans.
    keysHourlyTrend: (startDate, endDate, onBatch) =>
      get(
        {
          route: '/admin/api-keys-usage-trend',
          query: { granularity: 'hour', startDate, endDate },
          timeoutMs: bulkTimeoutMs,
          read: () => keysTrendReader(onBatch, 5000, 'hour'),
        },
        () => undefined,
      ),

    // A public route, called with the key's id (docs/crs.md §6, quirk 10): no admin token, and the id never
    // leaves the server. A read, so it is retried like a GET.
    keyLimitFigures: (id) =>
      requester.call(
        { method: 'POST', route: '/apiStats/api/user-stats', body: { apiId: id }, anonymous: true, retryable: true },
        parseWith(userStatsSchema, 'POST /apiStats/api/user-stats'),
      ),

    usageTrend: (n) =>
      get(
        { route: '/admin/usage-trend', query: { granularity: 'day', days: days(n) } },
        schema(usageTrendSchema, '/admin/usage-trend'),
      ),

    // A scan of CRS's whole keyspace (docs/crs.md §8): as slow as the bulk reads at scale, so it has their timeout.
    dashboard: () =>
      get({ route: '/admin/dashboard', timeoutMs: bulkTimeoutMs }, schema(dashboardSchema, '/admin/dashboard')),

    keyModelStats(id, period: CrsModelPeriod) {
      const route = '/admin/api-keys/:id/model-stats';
      return get({ route, params: { id }, query: { ...period } }, schema(modelStatsSchema, route));
    },

    keyUsageRecords(id, opts) {
      const route = '/admin/api-keys/:id/usage-records';
      const pageSize = Math.min(200, Math.max(1, opts?.pageSize ?? 50));
      return get({ route, params: { id }, query: { page: 1, pageSize } }, schema(usageRecordsSchema, route));
    },

    health: () =>
      requester.call(
        { method: 'GET', route: '/health', anonymous: true, noRetry: true },
        parseWith(healthSchema, endpointOf({ method: 'GET', route: '/health' })),
      ),
  };
}

/**
 * usage-stats whole, from its streamed form (tests, and callers that want every key at once). A key handed over
 * twice (CRS's Redis walked with SSCAN may repeat one) is kept once.
 */
export async function collectUsageStats(
  stream: (sink: BatchSink<CrsKeyUsage>) => Promise<void>,
): Promise<CrsKeyUsage[]> {
  let out = new Map<string, CrsKeyUsage>();
  await stream({
    restart: () => {
      out = new Map();
    },
    write: (batch) => {
      for (const u of batch) out.set(u.keyId, u);
    },
  });
  return [...out.values()];
}
