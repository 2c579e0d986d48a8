import type { FastifyBaseLogger } from 'fastify';
import type { Metrics } from '../metrics/metrics.js';
import type { PortalCache } from './types.js';

export interface CacheOptions {
  /** Absent: memory tier only. */
  redisUrl?: string;
  /** Prefix of every Redis key and bus channel (tests give each file its own). */
  prefix?: string;
  metrics: Metrics;
  logger: FastifyBaseLogger;
}

// Placeholder: the cache module replaces this file.
export async function createCache(_opts: CacheOptions): Promise<PortalCache> {
  throw new Error('cache module not built yet');
}
