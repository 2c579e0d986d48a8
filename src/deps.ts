import type { FastifyBaseLogger } from 'fastify';
import type { Config } from './config.js';
import type { Clock } from './domain/clock.js';
import type { PortalCache } from './infra/cache/types.js';
import type { CrsClient } from './infra/crs/types.js';
import type { Database } from './infra/db/client.js';
import type { Metrics } from './infra/metrics/metrics.js';

/**
 * Everything with I/O or time, built once by main (or a test, or the benchmark) and passed down.
 * Nothing below reads process.env or opens its own connections.
 */
export interface Deps {
  config: Config;
  database: Database;
  cache: PortalCache;
  crs: CrsClient;
  metrics: Metrics;
  clock: Clock;
  logger: FastifyBaseLogger;
  version: string;
}
