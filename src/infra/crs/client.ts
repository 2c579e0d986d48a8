import type { FastifyBaseLogger } from 'fastify';
import type { Metrics } from '../metrics/metrics.js';
import type { CrsClient } from './types.js';

export interface CrsClientOptions {
  baseUrl: string;
  username: string;
  password: string;
  /** Per-call timeout. */
  timeoutMs: number;
  metrics: Metrics;
  logger: FastifyBaseLogger;
}

// Placeholder: the CRS client module replaces this file.
export function createCrsClient(_opts: CrsClientOptions): CrsClient {
  throw new Error('CRS client not built yet');
}
