import { describe, expect, it } from 'vitest';
import { type LatencyCtx, realisticDelay } from '../../src/crs-emulator/index.js';
import { delayFor } from '../../src/crs-emulator/latency.js';

const near = (actual: number, expected: number, tolerance = 0.1) =>
  expect(Math.abs(actual - expected) / expected, `${actual} vs ${expected}`).toBeLessThan(tolerance);

const USAGE_STATS = 'GET /admin/usage-stats';
const TREND = 'GET /admin/api-keys-usage-trend';
const LIST = 'GET /admin/api-keys';

describe('latency model (computed delays, never wall time)', () => {
  it('is calibrated on the measured CRS figures at 200 keys with 30 days of usage (docs/crs.md §8)', () => {
    // The 200-key dataset: every key used, 30 days of history; a trend answers keys × days entries.
    const at200 = (route: string, c: Partial<LatencyCtx> = {}) => realisticDelay(route, { keys: 200, used: 200, ...c });
    near(at200('POST /web/auth/login'), 100);
    near(at200(LIST, { count: 20 }), 17);
    near(at200(LIST, { count: 100 }), 25);
    near(at200(LIST, { variant: 'scan' }), 335);
    near(at200('POST /admin/api-keys'), 3);
    near(at200('PUT /admin/api-keys/:id'), 8);
    near(at200(USAGE_STATS), 256);
    near(at200(TREND, { days: 7, count: 200 * 7 }), 258);
    near(at200(TREND, { days: 30, count: 200 * 30 }), 647);
    near(at200('GET /admin/dashboard'), 408);
    near(at200('POST /admin/api-keys/batch-stats', { count: 100 }), 1990);
    near(at200('POST /admin/api-keys/batch-stats', { count: 100, variant: 'range', days: 7 }), 18_700);
    near(at200('POST /admin/api-keys/batch-stats', { count: 1, variant: 'range', days: 30 }), 7_800);
    near(at200('POST /admin/api-keys/batch-stats', { count: 100, variant: 'range', days: 30 }), 78_900);
  });

  it('is calibrated on the "at scale" figures: 1,000 and 5,000 keys without usage (docs/crs.md §8)', () => {
    const unused = (keys: number) => ({ keys, used: 0, count: 0, days: 2 });
    near(realisticDelay(USAGE_STATS, unused(1000)), 235);
    near(realisticDelay(TREND, unused(1000)), 47);
    near(realisticDelay(LIST, { ...unused(1000), count: 100 }), 24);
    near(realisticDelay(USAGE_STATS, unused(5000)), 1600);
    near(realisticDelay(TREND, unused(5000)), 293);
    near(realisticDelay(LIST, { ...unused(5000), count: 100 }), 53);
  });

  it('is calibrated on 5,000 keys of which 2,000 used for 2 days (docs/crs.md §8)', () => {
    // A 2-day or 31-day trend answers the same 4,000 entries: only 2 days hold usage.
    const c = { keys: 5000, used: 2000, count: 4000 };
    near(realisticDelay(USAGE_STATS, c), 5200);
    near(realisticDelay(TREND, { ...c, days: 2 }), 3700);
    near(realisticDelay(TREND, { ...c, days: 31 }), 4100);
    const page = realisticDelay(LIST, { ...c, count: 100 });
    expect(page).toBeGreaterThanOrEqual(100);
    expect(page).toBeLessThanOrEqual(140);
  });

  it('grows linearly past the measured range, as docs/crs.md §8 extrapolates to 100,000 keys', () => {
    // 100,000 keys, 40% used on 2 days (the mix of the 5,000-key measurement): ~100 s and ~70 s.
    const c = { keys: 100_000, used: 40_000, count: 80_000, days: 2 };
    near(realisticDelay(USAGE_STATS, c), 100_000, 0.2);
    near(realisticDelay(TREND, c), 70_000, 0.2);
    const at = (keys: number) => realisticDelay(USAGE_STATS, { keys, used: keys * 0.4 });
    // Linear: doubling the keys past 5,000 doubles the time (within the constant's share).
    near(at(100_000) / at(50_000), 2, 0.05);
  });

  it('grows with keys for everything that scans the keyspace, and with keys × days for batch-stats ranges', () => {
    for (const route of [USAGE_STATS, 'GET /admin/dashboard', 'DELETE /admin/api-keys/:id/permanent']) {
      const small = realisticDelay(route, { keys: 200 });
      const big = realisticDelay(route, { keys: 2000 });
      expect(big).toBeGreaterThan(small * 5);
    }
    // The list's index path reads one page: past the measured 5,000 keys a page keeps its ~100–140 ms.
    const page = realisticDelay(LIST, { keys: 100_000, used: 40_000, count: 100 });
    expect(page).toBeGreaterThanOrEqual(100);
    expect(page).toBeLessThanOrEqual(140);
    const trend = (keys: number, used: number, days: number) =>
      realisticDelay(TREND, { keys, used, days, count: used * days });
    expect(trend(400, 400, 7)).toBeGreaterThan(trend(200, 200, 7) * 1.8);
    expect(trend(200, 200, 30)).toBeGreaterThan(trend(200, 200, 7) * 2);
    const batch = (keys: number, count: number, days: number) =>
      realisticDelay('POST /admin/api-keys/batch-stats', { keys, count, days, variant: 'range' });
    expect(batch(200, 100, 30)).toBeGreaterThan(batch(200, 100, 7) * 4);
    expect(batch(2000, 20, 7)).toBeGreaterThan(batch(200, 20, 7) * 9);
  });

  it('fast answers within a millisecond, none at once', () => {
    const ctx = { keys: 100_000, used: 100_000, days: 30 };
    expect([0, 1, 2, 3].map((t) => delayFor('fast', USAGE_STATS, ctx, t))).toEqual([0, 1, 0, 1]);
    expect(delayFor('none', USAGE_STATS, ctx, 1)).toBe(0);
    expect(delayFor('realistic', USAGE_STATS, ctx, 1)).toBeGreaterThan(10_000);
  });
});
