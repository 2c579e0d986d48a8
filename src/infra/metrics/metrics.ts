import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Every Prometheus metric of the portal, on a registry of its own (not prom-client's global one) so that
 * several apps can live in one test process. Created once in main and passed down through deps.
 */
export function createMetrics() {
  const registry = new Registry();
  const ms = [1, 2, 5, 10, 20, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 30_000];
  return {
    registry,
    httpDuration: new Histogram({
      name: 'kp_http_request_duration_ms',
      help: 'HTTP request duration by route',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: ms,
      registers: [registry],
    }),
    crsRequests: new Counter({
      name: 'kp_crs_requests_total',
      help: 'Calls made to CRS, by endpoint and outcome',
      labelNames: ['endpoint', 'status'] as const,
      registers: [registry],
    }),
    crsDuration: new Histogram({
      name: 'kp_crs_request_duration_ms',
      help: 'Latency of CRS calls by endpoint',
      labelNames: ['endpoint'] as const,
      buckets: ms,
      registers: [registry],
    }),
    cacheHits: new Counter({
      name: 'kp_cache_hits_total',
      help: 'Cache hits by namespace',
      labelNames: ['namespace'] as const,
      registers: [registry],
    }),
    cacheMisses: new Counter({
      name: 'kp_cache_misses_total',
      help: 'Cache misses by namespace',
      labelNames: ['namespace'] as const,
      registers: [registry],
    }),
    cacheStale: new Counter({
      name: 'kp_cache_stale_total',
      help: 'Stale values served from the grace period, by namespace',
      labelNames: ['namespace'] as const,
      registers: [registry],
    }),
    syncDuration: new Histogram({
      name: 'kp_sync_duration_ms',
      help: 'Duration of usage sync cycles',
      buckets: ms,
      registers: [registry],
    }),
    syncRuns: new Counter({
      name: 'kp_sync_runs_total',
      help: 'Usage sync cycles by outcome',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    syncLastSuccess: new Gauge({
      name: 'kp_sync_last_success_timestamp_seconds',
      help: 'Unix time of the last successful sync',
      registers: [registry],
    }),
    redisUp: new Gauge({
      name: 'kp_redis_up',
      help: '1 when the Redis connection is ready, 0 otherwise (absent without REDIS_URL)',
      registers: [registry],
    }),
    leader: new Gauge({
      name: 'kp_leader',
      help: '1 when this instance holds the leader lease (it runs the background jobs), 0 otherwise',
      registers: [registry],
    }),
    alerts: new Gauge({
      name: 'kp_alert_active',
      help: 'Alert conditions currently firing (1) by name',
      labelNames: ['alert'] as const,
      registers: [registry],
    }),
    // Read when scraped, so it costs nothing between scrapes; RSS is what product.md §4 budgets.
    memory: new Gauge({
      name: 'kp_process_memory_bytes',
      help: 'Memory of the portal process by kind (rss, heapUsed, heapTotal, external, arrayBuffers)',
      labelNames: ['kind'] as const,
      registers: [registry],
      collect() {
        for (const [kind, bytes] of Object.entries(process.memoryUsage())) this.set({ kind }, bytes);
      },
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
