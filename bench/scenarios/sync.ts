import type pg from 'pg';
import type { LatencyMode } from '../../src/crs-emulator/latency.js';
import type { BenchEmulator } from '../lib/emulator.js';
import { delta, diffBy, type Snapshot, scrape } from '../lib/metrics.js';
import { cpuMs, peakRssMb, resetPeakRss, rssMb } from '../lib/procs.js';
import { type BenchUser, syncOnce } from '../lib/seed.js';

/** Time spent in CRS calls during a cycle, per endpoint, in ms (from kp_crs_request_duration_seconds). */
function crsTime(before: Snapshot, after: Snapshot): Record<string, number> {
  const diff = diffBy(before, after, 'kp_crs_request_duration_seconds_sum', 'endpoint', { positiveOnly: true });
  return Object.fromEntries(Object.entries(diff).map(([k, v]) => [k, Math.round(v * 1000)]));
}

/**
 * One sync cycle (2-day trend + totals + key list, or a full one) under a latency model, with CRS traffic
 * having changed some keys since the last cycle. `ms` is the cycle as the portal recorded it (job_state).
 * `portalMs` is the portal's own work: the CPU time its process used during the cycle (nothing else runs on
 * it meanwhile) — the wall time is mostly waiting for CRS, whose calls overlap. `peakRssMb`: the process's
 * largest RSS while the cycle ran (sampled every 100 ms).
 */
export async function timedSync(
  portal: { url: string; pid: number },
  sql: pg.Pool,
  admin: BenchUser,
  emulator: BenchEmulator,
  o: {
    latency: LatencyMode;
    full?: boolean;
    /** Make the cycle read CRS's lifetime totals (usage-stats) whatever SYNC_TOTALS_INTERVAL says (decision 032). */
    readTotals?: boolean;
    trafficRpm: number;
    trafficSec: number;
    timeoutMs: number;
    /** Where the portal reads CRS's usage: the admin API, or CRS's Redis (CRS_REDIS_URL, decisions 022, 037). */
    source?: 'admin-api' | 'redis';
  },
) {
  const previous = emulator.latency;
  emulator.setLatency(o.latency);
  try {
    if (o.trafficRpm > 0 && o.trafficSec > 0) {
      emulator.setTraffic(o.trafficRpm);
      await new Promise((r) => setTimeout(r, o.trafficSec * 1000));
      emulator.setTraffic(0);
    }
    // The flag a cycle sets when the next one must read usage-stats: the harness sets it to time such a cycle.
    if (o.readTotals) await sql.query("update job_state set totals_due = true where name = 'usage-sync'");
    const before = await scrape(portal.url);
    const cpu0 = cpuMs(portal.pid);
    const rssBefore = rssMb(portal.pid);
    // The cycle's exact peak (VmHWM restarted before it); sampled every 100 ms where the kernel refuses the reset.
    const exact = resetPeakRss(portal.pid);
    let peak = rssBefore;
    const sampler = exact
      ? undefined
      : setInterval(() => {
          peak = Math.max(peak, rssMb(portal.pid));
        }, 100);
    const { ms } = await syncOnce(portal.url, sql, admin, { full: o.full ?? false, timeoutMs: o.timeoutMs }).finally(
      () => clearInterval(sampler),
    );
    if (exact) peak = Math.max(peak, peakRssMb(portal.pid));
    const portalCpuMs = cpuMs(portal.pid) - cpu0;
    const after = await scrape(portal.url);
    const crs = crsTime(before, after);
    const phases = diffBy(before, after, 'kp_sync_phase_seconds_sum', 'phase', { positiveOnly: true });
    const { crsCalls, crsByEndpoint } = delta(before, after);
    return {
      source: o.source ?? 'admin-api',
      latency: o.latency,
      full: o.full ?? false,
      /** Whether the cycle read usage-stats (else its totals grew by the trend). */
      totalsRead:
        (crsByEndpoint['GET /admin/usage-stats'] ?? 0) > 0 ||
        after.sum('kp_crs_direct_reads_total', { call: 'usageStats' }) >
          before.sum('kp_crs_direct_reads_total', { call: 'usageStats' }),
      ms: Math.round(ms),
      portalMs: portalCpuMs,
      peakRssMb: peak,
      rssBeforeMb: rssBefore,
      /** What the RSS was made of right after the cycle (V8 heap, buffers), MB. */
      memoryAfterMb: Object.fromEntries(
        Object.entries(after.by('kp_process_memory_bytes', 'kind')).map(([k, v]) => [k, Math.round(v / 2 ** 20)]),
      ),
      /** Wall time of the cycle's phases, ms (kp_sync_phase_seconds: reads, resolve, daily, totals, judge, steps). */
      phasesMs: Object.fromEntries(Object.entries(phases).map(([k, v]) => [k, Math.round(v * 1000)])),
      crsMsByEndpoint: crs,
      crsCalls,
    };
  } finally {
    emulator.setLatency(previous);
  }
}
