import type { FastifyBaseLogger } from 'fastify';
import type { CrsClient } from '../crs/types.js';
import type { Metrics } from '../metrics/metrics.js';
import { connectCrsRedis } from './connection.js';
import { withDirectReads } from './direct-source.js';

export interface CrsSourceConfig {
  /** CRS_REDIS_URL: absent, the admin API answers everything. */
  redisUrl?: string;
  /** CRS_TIMEOUT_MS, per Redis command. */
  timeoutMs: number;
  /** CRS_TIMEZONE_OFFSET: CRS's days, as the reader must name them. */
  timezoneOffset: number;
}

export interface CrsSourceDeps {
  now: () => Date;
  metrics: Metrics;
  logger: FastifyBaseLogger;
}

/**
 * The composition root's choice of CRS source: the admin API client as it is, or — with CRS_REDIS_URL — the
 * same client whose sync reads come from CRS's Redis (docs/decisions/022). `close` ends the Redis connection.
 */
export function crsSource(
  crs: CrsClient,
  config: CrsSourceConfig,
  deps: CrsSourceDeps,
): { crs: CrsClient; close: () => Promise<void> } {
  if (!config.redisUrl) return { crs, close: async () => {} };
  const reads = connectCrsRedis({ url: config.redisUrl, timeoutMs: config.timeoutMs, logger: deps.logger });
  const direct = withDirectReads(crs, { ...deps, reads, timezoneOffset: config.timezoneOffset });
  return { crs: direct, close: () => reads.close() };
}
