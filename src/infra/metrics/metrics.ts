import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { RequestHistogram } from './request-histogram.js';

/** Request latencies, in seconds as Prometheus wants durations: 1 ms … 30 s (the alert threshold is 0.05). */
const REQUEST_BUCKETS = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** A sync cycle takes under a second at demo scale and about two minutes at 100,000 keys (README, Performance). */
const SYNC_BUCKETS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

/**
 * Every Prometheus metric of the portal, on a registry of its own (not prom-client's global one) so that
 * several apps can live in one test process. Created once in main and passed down through deps.
 * Durations are in seconds with `_seconds` names (Prometheus conventions), so dashboards and recording rules
 * written for other services read them without a unit change.
 */
export function createMetrics() {
  const registry = new Registry();
  // Node's process metrics (event-loop lag, GC, heap, RSS, handles) under their usual names, so the stock
  // Node.js dashboards work; on this registry, not the global one.
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    httpDuration: new RequestHistogram({
      name: 'kp_http_request_duration_seconds',
      help: 'HTTP request duration by route, in seconds',
      buckets: REQUEST_BUCKETS,
      registry,
    }),
    crsRequests: new Counter({
      name: 'kp_crs_requests_total',
      help: 'Calls made to CRS, by endpoint and outcome',
      labelNames: ['endpoint', 'status'] as const,
      registers: [registry],
    }),
    crsDuration: new Histogram({
      name: 'kp_crs_request_duration_seconds',
      help: 'Latency of CRS calls by endpoint, in seconds',
      labelNames: ['endpoint'] as const,
      buckets: REQUEST_BUCKETS,
      registers: [registry],
    }),
    crsDirectReads: new Counter({
      name: 'kp_crs_direct_reads_total',
      help: "The sync's reads of CRS's Redis (CRS_REDIS_URL) by call and outcome: ok, or fallback to the admin API",
      labelNames: ['call', 'outcome'] as const,
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
      name: 'kp_sync_duration_seconds',
      help: 'Duration of usage sync cycles, in seconds',
      buckets: SYNC_BUCKETS,
      registers: [registry],
    }),
    syncPhase: new Histogram({
      name: 'kp_sync_phase_seconds',
      help: "Duration of a sync cycle's phases (reads: CRS into staging; resolve: missing keys; daily, totals, judge: the transaction; steps: hourly, limits, models), in seconds",
      labelNames: ['phase'] as const,
      buckets: SYNC_BUCKETS,
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
    notifyEvents: new Counter({
      name: 'kp_notify_events_total',
      help: 'Notification events raised (written to the outbox), by kind',
      labelNames: ['kind'] as const,
      registers: [registry],
    }),
    notifyDeliveries: new Counter({
      name: 'kp_notify_deliveries_total',
      help: 'Notification delivery attempts by channel type and outcome (delivered, retry, failed, cancelled)',
      labelNames: ['channel', 'outcome'] as const,
      registers: [registry],
    }),
    notifyChannelsPaused: new Counter({
      name: 'kp_notify_channels_paused_total',
      help: 'Notification channels paused after failing repeatedly, by channel type',
      labelNames: ['channel'] as const,
      registers: [registry],
    }),
    // Read when scraped, so it costs nothing between scrapes; RSS is what docs/product.md §4 budgets.
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
