import type pg from 'pg';
import type { LatencyMode } from '../../src/crs-emulator/latency.js';
import type { BenchEmulator } from '../lib/emulator.js';
import { round } from '../lib/http.js';
import { type Snapshot, scrape } from '../lib/metrics.js';
import { type BenchUser, syncOnce } from '../lib/seed.js';

/** Time spent in CRS calls during a cycle, per endpoint (sum of kp_crs_request_duration_ms). */
function crsTime(before: Snapshot, after: Snapshot): Record<string, number> {
  const a = after.by('kp_crs_request_duration_ms_sum', 'endpoint');
  const b = before.by('kp_crs_request_duration_ms_sum', 'endpoint');
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(a)) if (v - (b[k] ?? 0) > 0) out[k] = Math.round(v - (b[k] ?? 0));
  return out;
}

/**
 * One regular sync cycle (2-day trend + totals + key list) under a latency model, with CRS traffic having
 * changed some keys since the last cycle. `ms` is the cycle as the portal recorded it (job_state). The three
 * kinds of CRS call run in parallel, the list pages one after another, so the time waiting for CRS is about
 * max(usage-stats, trend, Σ list pages); `portalMs` is the rest — the portal's own work.
 */
export async function timedSync(
  portal: string,
  sql: pg.Pool,
  admin: BenchUser,
  emulator: BenchEmulator,
  o: { latency: LatencyMode; full?: boolean; trafficRpm: number; trafficSec: number; timeoutMs: number },
) {
  const previous = emulator.latency;
  emulator.setLatency(o.latency);
  try {
    if (o.trafficRpm > 0 && o.trafficSec > 0) {
      emulator.setTraffic(o.trafficRpm);
      await new Promise((r) => setTimeout(r, o.trafficSec * 1000));
      emulator.setTraffic(0);
    }
    const before = await scrape(portal);
    const { ms } = await syncOnce(portal, sql, admin, { full: o.full ?? false, timeoutMs: o.timeoutMs });
    const after = await scrape(portal);
    const crs = crsTime(before, after);
    let list = 0;
    let other = 0;
    for (const [endpoint, t] of Object.entries(crs)) {
      if (endpoint.startsWith('GET /admin/api-keys') && !endpoint.includes('usage-trend')) list += t;
      else other = Math.max(other, t);
    }
    const crsWaitMs = Math.max(list, other);
    const crsCalls =
      after.sum('kp_crs_requests_total') -
      before.sum('kp_crs_requests_total') -
      (after.sum('kp_crs_requests_total', { status: 'open' }) -
        before.sum('kp_crs_requests_total', { status: 'open' }));
    return {
      latency: o.latency,
      full: o.full ?? false,
      ms: Math.round(ms),
      crsWaitMs,
      portalMs: Math.max(0, Math.round(ms - crsWaitMs)),
      crsMsByEndpoint: crs,
      crsCalls,
      keysTouched: 0,
    };
  } finally {
    emulator.setLatency(previous);
  }
}

export const roundMs = (n: number) => round(n, 0);
