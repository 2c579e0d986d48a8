import { describe, expect, it } from 'vitest';
import { crsAdmin } from '../helpers/crs-admin.js';
import { insightsWorld, type Json, micros, NOW } from '../helpers/insights-world.js';

/*
 * Issue 13 point 2: the hourly view of the last 7 days. The sync copies CRS's per-key hourly trend into its own
 * table like the daily one — a bounded number of calls (24 h each, at most 8 on a first run, one after) — and
 * `granularity=hour` answers from it: every hour equals CRS's, and the hours add up to the totals.
 */
const w = await insightsWorld();
/** Trend calls of the first sync: the daily trend, and the hourly one 24 h at a time over CRS's 7 days. */
const firstRunTrendCalls = w.emulator.requestCount('GET /admin/api-keys-usage-trend');
type HourTrend = {
  data: Array<{ hour: string; apiKeys: Record<string, { tokens: number; requests: number; cost: number }> }>;
};

/** CRS's own hourly figures of the user's keys, by hour (UTC ISO), over [start, end]. */
async function crsHours(start: number, end: number) {
  const out = new Map<string, { requests: number; tokens: number; micros: number }>();
  for (let s = start; s < end; s += 24 * 3_600_000) {
    const e = Math.min(s + 24 * 3_600_000 - 1, end);
    const q = `startDate=${new Date(s).toISOString()}&endDate=${new Date(e).toISOString()}`;
    const trend = await crsAdmin<HourTrend>(w.emulator.url, `/admin/api-keys-usage-trend?granularity=hour&${q}`);
    for (const h of trend.data) {
      for (const k of w.keys) {
        const v = h.apiKeys[k.crsKeyId];
        if (!v) continue;
        const acc = out.get(h.hour) ?? { requests: 0, tokens: 0, micros: 0 };
        acc.requests += v.requests;
        acc.tokens += v.tokens;
        acc.micros += micros(v.cost);
        out.set(h.hour, acc);
      }
    }
  }
  return out;
}

describe('GET /api/stats/usage?granularity=hour', () => {
  it('the first sync read CRS’s 7 days of hours in 7 calls of 24 h', () => {
    expect(firstRunTrendCalls).toBe(1 + 7);
  });

  it('every hour of the 7 CRS days equals CRS’s hourly trend, and the hours add up to the totals', async () => {
    const res = await w.get('/api/stats/usage?granularity=hour&range=7d');
    expect(res.statusCode).toBe(200);
    const body: Json = res.json();
    expect(body.granularity).toBe('hour');
    expect(body.range).toEqual({ from: '2026-03-14', to: '2026-03-20', timezone: 'UTC+8' });
    expect(body.series).toHaveLength(7 * 24);
    // CRS-local midnight of 2026-03-14 is 16:00 UTC the day before.
    expect(body.series[0].hour).toBe('2026-03-13T16:00:00.000Z');
    const crs = await crsHours(Date.parse('2026-03-13T16:00:00.000Z'), NOW);
    const portal = new Map(
      body.series
        .filter((h: Json) => h.requests > 0)
        .map((h: Json) => [h.hour, { requests: h.requests, tokens: h.tokens, micros: micros(h.cost) }]),
    );
    expect(portal.size).toBeGreaterThan(20);
    expect(portal).toEqual(crs);
    const sum = (f: string) => body.series.reduce((a: number, h: Json) => a + h[f], 0);
    expect(sum('requests')).toBe(body.totals.requests);
    expect(sum('tokens')).toBe(body.totals.tokens);
    expect(body.perKey.reduce((a: number, k: Json) => a + k.tokens, 0)).toBe(body.totals.tokens);
    for (const h of body.series) {
      expect(h.keys.reduce((a: number, k: Json) => a + k.tokens, 0)).toBe(h.tokens);
    }
  });

  it('one key only; another user’s key is a 404', async () => {
    const one: Json = (await w.get(`/api/stats/usage?granularity=hour&range=7d&keyId=${w.keys[1].id}`)).json();
    expect(one.perKey).toHaveLength(1);
    expect(one.perKey[0]).toMatchObject({ keyId: w.keys[1].id, name: 'ci, nightly' });
    expect(one.series.every((h: Json) => h.keys.every((k: Json) => k.keyId === w.keys[1].id))).toBe(true);
  });

  it('more than 7 days by hour is a 400 naming granularity', async () => {
    const res = await w.get('/api/stats/usage?granularity=hour&range=30d');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].path).toBe('granularity');
    const bad = await w.get('/api/stats/usage?granularity=minute');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].path).toBe('granularity');
  });

  it('later cycles read only the last hours: one CRS call each, whatever the number of keys', async () => {
    w.emulator.resetRequestCounts();
    expect((await w.t.app.services.sync.runNow())?.ok).toBe(true);
    expect(w.emulator.requestCount('GET /admin/api-keys-usage-trend')).toBe(2); // the daily trend + one hourly read
  });
});
