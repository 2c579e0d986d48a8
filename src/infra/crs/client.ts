import type { FastifyBaseLogger } from 'fastify';
import type { Metrics } from '../metrics/metrics.js';
import { createBreaker } from './breaker.js';
import { keyMethods } from './key-methods.js';
import { createRequester, type RetryOptions } from './request.js';
import { statsMethods } from './stats-methods.js';
import { createTransport } from './transport.js';
import type { CrsClient } from './types.js';

export interface CrsClientOptions {
  baseUrl: string;
  username: string;
  password: string;
  /** Per-call timeout (each attempt, body included). */
  timeoutMs: number;
  /**
   * Timeout of the sync's bulk reads (`usageStats`, `keysUsageTrend`): tens of MB at 100,000 keys.
   * Default: max(timeoutMs, 60 s).
   */
  bulkTimeoutMs?: number;
  /** GET retries. Default 3 attempts, backoff 200 ms doubling up to 2 s, with jitter. */
  retry?: Partial<RetryOptions>;
  /** Default: open after 5 consecutive failures, one probe after 10 s. */
  breaker?: { failureThreshold?: number; resetTimeoutMs?: number };
  metrics: Metrics;
  logger: FastifyBaseLogger;
}

/**
 * The one module that talks to CRS (docs/architecture.md §6). Layers, bottom up: transport.ts (fetch,
 * timeout, metrics) → breaker.ts → session.ts (admin token) → request.ts (retries, error mapping) →
 * key-methods.ts / stats-methods.ts (routes, schemas, quirks).
 */
export function createCrsClient(opts: CrsClientOptions): CrsClient {
  const logger = opts.logger.child({ component: 'crs' });
  const breaker = createBreaker({
    failureThreshold: opts.breaker?.failureThreshold ?? 5,
    resetTimeoutMs: opts.breaker?.resetTimeoutMs ?? 10_000,
    onChange: (from, to) => {
      if (to === 'open') logger.warn({ from, to }, 'CRS circuit opened: failing fast');
      else logger.info({ from, to }, 'CRS circuit closed');
    },
  });
  const requester = createRequester({
    transport: createTransport(opts.baseUrl, opts.metrics),
    breaker,
    username: opts.username,
    password: opts.password,
    timeoutMs: opts.timeoutMs,
    retry: {
      attempts: opts.retry?.attempts ?? 3,
      baseDelayMs: opts.retry?.baseDelayMs ?? 200,
      maxDelayMs: opts.retry?.maxDelayMs ?? 2_000,
    },
    logger,
  });
  return {
    ...keyMethods(requester),
    ...statsMethods(requester, opts.bulkTimeoutMs ?? Math.max(opts.timeoutMs, 60_000)),
    probe: (timeoutMs) => requester.probe({ method: 'GET', route: '/web/auth/user', noRetry: true, timeoutMs }),
    state: () => breaker.state(),
  };
}
