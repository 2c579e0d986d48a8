import type { FastifyBaseLogger } from 'fastify';
import { collectUsageStats } from '../crs/stats-methods.js';
import type { CrsClient } from '../crs/types.js';
import type { Metrics } from '../metrics/metrics.js';
import type { CrsRedisReads } from './connection.js';
import { ConsumerFailure, readKeysTrend } from './keys-trend.js';
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
 * `crs` with its two bulk usage reads (`usageStats`, `keysUsageTrend`) answered from CRS's Redis instead of its
 * admin API (docs/decisions/022): same shapes, same numbers, a fraction of CRS's time at scale. The admin API
 * stays the fallback: when a direct read fails for any reason of Redis's (down, refused, a layout it cannot
 * read), the call goes through the admin API — logged, and counted in `kp_crs_direct_reads_total{outcome}`.
 * A failure of the trend's consumer (the sync's own transaction) is rethrown as it is, never retried.
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
