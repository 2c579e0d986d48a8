import { describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.js';
import { createKey } from '../helpers/keys.js';
import { createUser } from '../helpers/security-suite.js';

/**
 * Prometheus conventions (issue 11): durations in seconds under `_seconds` names, Node's default process metrics
 * on the portal's registry, and the latency alert reading the seconds histogram. The unit checks use an injected
 * CRS delay as a lower bound (an observation in ms would land in +Inf), never a measured speed.
 */
const t = await createTestApp();
const DELAY_MS = 1100;

/** Cumulative count of a histogram's bucket `le` summed over every label set matching `where`. */
async function bucket(name: string, le: string, where: Record<string, string> = {}): Promise<number> {
  const text = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}_bucket{`) || !line.includes(`le="${le}"`)) continue;
    if (Object.entries(where).every(([k, v]) => line.includes(`${k}="${v}"`))) total += Number(line.split(' ').pop());
  }
  return total;
}

describe('metrics follow Prometheus conventions', () => {
  it('names every duration in seconds and exposes Node’s process metrics', async () => {
    const text = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    const families = [...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => m[1]);
    expect(families).toEqual(
      expect.arrayContaining([
        'kp_http_request_duration_seconds',
        'kp_crs_request_duration_seconds',
        'kp_sync_duration_seconds',
        'kp_sync_phase_seconds',
        'nodejs_eventloop_lag_seconds',
        'nodejs_eventloop_lag_p99_seconds',
        'nodejs_gc_duration_seconds',
        'nodejs_heap_size_used_bytes',
        'process_resident_memory_bytes',
      ]),
    );
    expect(families.filter((f) => /_ms$|_milliseconds$/.test(f))).toEqual([]);
  });

  it('observes HTTP, CRS and sync durations in seconds', async () => {
    const user = await createUser(t);
    t.emulator.faults.extraDelayMs = DELAY_MS;
    try {
      await createKey(t, user, { name: 'slow-crs' });
      await t.app.services.sync.runNow();
    } finally {
      t.emulator.faults.extraDelayMs = 0;
    }
    // Each took at least DELAY_MS: in seconds that is above the 1 bucket and well inside 30.
    const crs = { endpoint: 'POST /admin/api-keys' };
    expect(await bucket('kp_crs_request_duration_seconds', '30', crs)).toBe(1);
    expect(await bucket('kp_crs_request_duration_seconds', '1', crs)).toBe(0);
    const http = { method: 'POST', route: '/api/keys' };
    expect(await bucket('kp_http_request_duration_seconds', '30', http)).toBe(1);
    expect(await bucket('kp_http_request_duration_seconds', '1', http)).toBe(0);
    expect(await bucket('kp_sync_duration_seconds', '600')).toBe(1);
    expect(await bucket('kp_sync_duration_seconds', '1')).toBe(0);
    // The phases of that cycle: its reads waited for CRS, and each phase is observed once per cycle.
    expect(await bucket('kp_sync_phase_seconds', '1', { phase: 'reads' })).toBe(0);
    for (const phase of ['reads', 'resolve', 'daily', 'totals', 'judge', 'steps']) {
      expect(await bucket('kp_sync_phase_seconds', '+Inf', { phase })).toBe(1);
    }
  });

  it('fires the route latency alert from the seconds histogram at 50 ms', async () => {
    const alerts = t.app.services.admin.alerts;
    await alerts.evaluate({ row: undefined, failuresInARow: 0 }); // starts the window
    const route = { method: 'GET', route: '/api/stats/usage', status: 200 };
    for (let i = 0; i < 30; i++) t.deps.metrics.httpDuration.observe(route, 0.01);
    expect((await alerts.evaluate({ row: undefined, failuresInARow: 0 })).map((a) => a.name)).not.toContain(
      'route_latency_high',
    );
    for (let i = 0; i < 30; i++) t.deps.metrics.httpDuration.observe(route, 0.2);
    const fired = await alerts.evaluate({ row: undefined, failuresInARow: 0 });
    expect(fired).toContainEqual({
      name: 'route_latency_high',
      message: 'p95 of GET /api/stats/usage is above 250 ms',
      // The figures notifications carry (docs/decisions/029): seconds, like the histogram.
      value: 0.25,
      threshold: 0.05,
      where: 'GET /api/stats/usage',
    });
  });
});
