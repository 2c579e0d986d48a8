import type { Deps } from '../../deps.js';
import type { JobRow } from '../../infra/db/repos/jobs.js';
import { ALERT_NAMES, type Alert } from './alert.js';
import { checkCrsTimezone, crsTimezoneMismatch } from './crs-timezone.js';

export type { Alert } from './alert.js';

/** Thresholds of docs/product.md §2 "Operations". */
export const ALERT_THRESHOLDS = {
  hitRate: 0.8,
  /** Reads needed in the window before a hit rate means anything. */
  minReads: 50,
  redisMemory: 0.8,
  /** Seconds, like the histogram it is read from (50 ms). */
  routeP95Seconds: 0.05,
  syncFailuresInARow: 2,
};

type Snapshot = Map<string, { counts: number[]; upper: number[] }>;

/**
 * Computes the alert conditions over the window since the previous evaluation (not since start, which would hide
 * a current problem behind hours of good history), exposes them as `kp_alert_active{alert}` and logs a warning
 * when one starts firing.
 */
export function createAlerts(deps: Deps) {
  let previous: Snapshot = new Map();
  let prevCache = new Map<string, { hits: number; misses: number }>();
  let firing = new Set<string>();
  let last: Alert[] = [];

  async function routeP95(): Promise<Array<{ route: string; p95: number }>> {
    const metric = await deps.metrics.httpDuration.get();
    const now: Snapshot = new Map();
    for (const v of metric.values) {
      if (v.metricName !== 'kp_http_request_duration_seconds_bucket') continue;
      const route = `${v.labels.method} ${v.labels.route}`;
      // Only the API has latency thresholds; static files and probes would only add noise.
      const path = String(v.labels.route);
      if (!path.startsWith('/api/') || path === '/api/health') continue;
      const entry = now.get(route) ?? { counts: [], upper: [] };
      const raw = (v.labels as Record<string, string | number>).le;
      const le = raw === '+Inf' ? Number.POSITIVE_INFINITY : Number(raw);
      const i = entry.upper.indexOf(le);
      if (i === -1) {
        entry.upper.push(le);
        entry.counts.push(v.value);
      } else entry.counts[i] += v.value; // several status labels share a route
      now.set(route, entry);
    }
    const out: Array<{ route: string; p95: number }> = [];
    for (const [route, cur] of now) {
      const before = previous.get(route);
      const counts = cur.counts.map((c, i) => c - (before?.counts[i] ?? 0));
      const total = counts[counts.length - 1] ?? 0;
      if (total < 20) continue;
      const idx = counts.findIndex((c) => c >= total * 0.95);
      out.push({ route, p95: cur.upper[idx] });
    }
    previous = now;
    return out;
  }

  function hitRates() {
    const counters = deps.cache.counters();
    const out: Array<{ ns: string; rate: number }> = [];
    const next = new Map<string, { hits: number; misses: number }>();
    for (const [ns, c] of Object.entries(counters)) {
      next.set(ns, { hits: c.hits, misses: c.misses });
      const before = prevCache.get(ns) ?? { hits: 0, misses: 0 };
      const hits = c.hits - before.hits;
      const reads = hits + c.misses - before.misses;
      if (reads >= ALERT_THRESHOLDS.minReads) out.push({ ns, rate: hits / reads });
    }
    prevCache = next;
    return out;
  }

  return {
    /**
     * `sync.row` is the job's shared row (undefined when it cannot be read); `failuresInARow` is this process's
     * own count, so a sync failing because the database is down alerts although the row says nothing new.
     */
    async evaluate(sync: { row: JobRow | undefined; failuresInARow: number }): Promise<Alert[]> {
      const alerts: Alert[] = [];
      for (const { ns, rate } of hitRates()) {
        if (rate < ALERT_THRESHOLDS.hitRate) {
          alerts.push({
            name: 'cache_hit_rate_low',
            message: `cache hit rate of ${ns} is ${Math.round(rate * 100)} %`,
            value: rate,
            threshold: ALERT_THRESHOLDS.hitRate,
            where: ns,
          });
        }
      }
      const health = await deps.cache.health();
      if (health.memoryRatio !== undefined && health.memoryRatio > ALERT_THRESHOLDS.redisMemory) {
        alerts.push({
          name: 'redis_memory_high',
          message: `Redis uses ${Math.round(health.memoryRatio * 100)} % of maxmemory`,
          value: health.memoryRatio,
          threshold: ALERT_THRESHOLDS.redisMemory,
        });
      }
      for (const { route, p95 } of await routeP95()) {
        if (p95 > ALERT_THRESHOLDS.routeP95Seconds) {
          // The bucket's upper bound, in ms for people; the last finite bucket is 30 s.
          const ms = Math.round((p95 === Infinity ? 30 : p95) * 1000);
          alerts.push({
            name: 'route_latency_high',
            message: `p95 of ${route} is above ${ms} ms`,
            value: ms / 1000,
            threshold: ALERT_THRESHOLDS.routeP95Seconds,
            where: route,
          });
        }
      }
      const { row } = sync;
      const rowFailing =
        Boolean(row?.lastError) && (row?.lastRunAt?.getTime() ?? 0) >= (row?.lastSuccessAt?.getTime() ?? 0);
      if (rowFailing) alerts.push({ name: 'sync_failing', message: `usage sync failing: ${row?.lastError}` });
      else if (sync.failuresInARow > 0) {
        alerts.push({ name: 'sync_failing', message: `usage sync failing: ${sync.failuresInARow} run(s) in a row` });
      }
      // CRS unreachable: the last finding stands (the sync checks too).
      const tz = await checkCrsTimezone(deps).catch(() => crsTimezoneMismatch(deps));
      if (tz) alerts.push(tz);

      const names = new Set<string>(alerts.map((a) => a.name));
      for (const a of alerts) if (!firing.has(a.name)) deps.logger.warn({ alert: a.name }, a.message);
      for (const name of ALERT_NAMES) {
        deps.metrics.alerts.set({ alert: name }, names.has(name) ? 1 : 0);
      }
      firing = names;
      last = alerts;
      return alerts;
    },
    /**
     * The alerts of the latest evaluation (health and the overview read this; a timer evaluates), with the
     * timezone check's latest finding, which the sync refreshes between evaluations.
     */
    current: (): Alert[] => {
      const tz = crsTimezoneMismatch(deps);
      const rest = last.filter((a) => a.name !== 'crs_timezone_mismatch');
      return tz ? [...rest, tz] : rest;
    },
  };
}

export type AlertsService = ReturnType<typeof createAlerts>;
