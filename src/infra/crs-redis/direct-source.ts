import type { FastifyBaseLogger } from 'fastify';
import { collectUsageStats } from '../crs/stats-methods.js';
import type { CrsClient } from '../crs/types.js';
import type { Metrics } from '../metrics/metrics.js';
import type { CrsRedisReads } from './connection.js';
import { eachTaggedKey } from './key-list.js';
import { readKeysHourlyTrend, readKeysTrend } from './keys-trend.js';
import { readKeyModelStats } from './model-stats.js';
import { ConsumerFailure, CrsRedisUnusable } from './reads.js';
import { streamUsageStats } from './usage-stats.js';

export interface DirectReadOptions {
  reads: CrsRedisReads;
  /** CRS's TIMEZONE_OFFSET (CRS_TIMEZONE_OFFSET): the reader names CRS's day buckets itself. */
  timezoneOffset: number;
  now: () => Date;
  metrics: Metrics;
  logger: FastifyBaseLogger;
}

const days = (n: number) => {
  if (!Number.isInteger(n) || n < 1 || n > 366) throw new RangeError(`days must be an integer in 1..366, got ${n}`);
  return n;
};

/**
 * `crs` with the sync's reads — the tagged key list, lifetime totals, the daily and hourly per-key trends, one
 * key's models by day — answered from CRS's Redis instead of its admin API (docs/decisions/022, 037): same shapes,
 * same numbers, a fraction of CRS's time at scale. Writes, the dashboard, health and the per-key limit figures stay
 * on the admin API. The admin API is the fallback: when a direct read fails for any reason of Redis's (down,
 * refused, a layout it cannot read), the call goes through the admin API — logged, and counted in
 * `kp_crs_direct_reads_total{outcome}`. A failure of the consumer (the sync's own transaction) is rethrown as
 * it is, never retried.
 */
export function withDirectReads(crs: CrsClient, o: DirectReadOptions): CrsClient {
  const log = o.logger.child({ component: 'crs-redis' });
  async function attempt<T>(call: string, direct: () => Promise<T>, api: () => Promise<T>): Promise<T> {
    try {
      const value = await direct();
      o.metrics.crsDirectReads.inc({ call, outcome: 'ok' });
      return value;
    } catch (e) {
      if (e instanceof ConsumerFailure) throw e.original;
      if (e instanceof RangeError) throw e;
      o.metrics.crsDirectReads.inc({ call, outcome: 'fallback' });
      log.warn(
        { call, err: e instanceof Error ? e.message : String(e) },
        "reading CRS's Redis failed; using the admin API",
      );
      return api();
    }
  }
  const direct: CrsClient = {
    ...crs,
    streamUsageStats: (sink) =>
      attempt(
        'usageStats',
        () => streamUsageStats(o.reads, sink),
        // The admin API restarts the sink first: what the failed direct read handed over is dropped.
        () => crs.streamUsageStats(sink),
      ),
    usageStats: () => collectUsageStats((sink) => direct.streamUsageStats(sink)),
    eachKeyPage: (tag, onPage, opts) =>
      attempt(
        'keyList',
        async () => {
          // CRS's own count of the tagged keys, before and after (one small page each): a Redis read that finds
          // another number — an index CRS no longer keeps, or keys created meanwhile — is not trusted.
          const count = async () => (await crs.listKeys({ tag, page: 1, pageSize: 10 })).total;
          const before = await count();
          const listed = await eachTaggedKey(o.reads, tag, onPage);
          const after = listed === before ? before : await count();
          if (listed < Math.min(before, after) || listed > Math.max(before, after)) {
            throw new CrsRedisUnusable(
              `apikey:tag:${tag} names ${listed} live keys; CRS lists ${before}, then ${after}`,
            );
          }
        },
        // What the direct read handed over is dropped first.
        async () => {
          await opts?.restart?.();
          return crs.eachKeyPage(tag, onPage, opts);
        },
      ),
    keysHourlyTrend: (start, end, onBatch) =>
      attempt(
        'keysHourlyTrend',
        () => readKeysHourlyTrend(o.reads, { start, end, timezoneOffset: o.timezoneOffset }, onBatch),
        () => crs.keysHourlyTrend(start, end, onBatch),
      ),
    keyModelStats: (id, period) =>
      period.period === 'custom'
        ? attempt(
            'keyModelStats',
            () => readKeyModelStats(o.reads, id, period),
            () => crs.keyModelStats(id, period),
          )
        : crs.keyModelStats(id, period),
    keysUsageTrend: (n, onBatch) =>
      attempt(
        'keysUsageTrend',
        () =>
          readKeysTrend(o.reads, { days: days(n), now: o.now().getTime(), timezoneOffset: o.timezoneOffset }, onBatch),
        () => crs.keysUsageTrend(n, onBatch),
      ),
  };
  return direct;
}
