import { describe, expect, it } from 'vitest';
import { realisticDelay } from '../../src/crs-emulator/index.js';
import { delayFor } from '../../src/crs-emulator/latency.js';

const near = (actual: number, expected: number) => expect(Math.abs(actual - expected) / expected).toBeLessThan(0.1);

describe('latency model (computed delays, never wall time)', () => {
  it('is calibrated on the measured CRS figures at 200 keys (reference §6)', () => {
    const at200 = (route: string, c = {}) => realisticDelay(route, { keys: 200, ...c });
    near(at200('POST /web/auth/login'), 100);
    near(at200('GET /admin/api-keys', { count: 20 }), 17);
    near(at200('GET /admin/api-keys', { count: 100 }), 25);
    near(at200('GET /admin/api-keys', { variant: 'scan' }), 335);
    near(at200('POST /admin/api-keys'), 3);
    near(at200('PUT /admin/api-keys/:id'), 8);
    near(at200('GET /admin/usage-stats'), 256);
    near(at200('GET /admin/api-keys-usage-trend', { days: 7 }), 258);
    near(at200('GET /admin/api-keys-usage-trend', { days: 30 }), 647);
    near(at200('GET /admin/dashboard'), 408);
    near(at200('POST /admin/api-keys/batch-stats', { count: 100 }), 1990);
    near(at200('POST /admin/api-keys/batch-stats', { count: 100, variant: 'range', days: 7 }), 18_700);
    near(at200('POST /admin/api-keys/batch-stats', { count: 1, variant: 'range', days: 30 }), 7_800);
    near(at200('POST /admin/api-keys/batch-stats', { count: 100, variant: 'range', days: 30 }), 78_900);
  });

  it('grows with the number of keys for everything that scans the keyspace', () => {
    for (const route of ['GET /admin/usage-stats', 'GET /admin/dashboard', 'DELETE /admin/api-keys/:id/permanent']) {
      const small = realisticDelay(route, { keys: 200 });
      const big = realisticDelay(route, { keys: 2000 });
      expect(big).toBeGreaterThan(small * 5);
    }
    const list = (keys: number) => realisticDelay('GET /admin/api-keys', { keys, count: 20 });
    expect(list(100_000)).toBe(list(200)); // the index path does not scan
  });

  it('grows with keys × days for the per-key trend and batch-stats ranges', () => {
    const trend = (keys: number, days: number) => realisticDelay('GET /admin/api-keys-usage-trend', { keys, days });
    expect(trend(400, 7)).toBeGreaterThan(trend(200, 7) * 1.8);
    expect(trend(200, 30)).toBeGreaterThan(trend(200, 7) * 2);
    const batch = (keys: number, count: number, days: number) =>
      realisticDelay('POST /admin/api-keys/batch-stats', { keys, count, days, variant: 'range' });
    expect(batch(200, 100, 30)).toBeGreaterThan(batch(200, 100, 7) * 4);
    expect(batch(2000, 20, 7)).toBeGreaterThan(batch(200, 20, 7) * 9);
  });

  it('fast answers within a millisecond, none at once', () => {
    const ctx = { keys: 100_000, days: 30 };
    expect([0, 1, 2, 3].map((t) => delayFor('fast', 'GET /admin/usage-stats', ctx, t))).toEqual([0, 1, 0, 1]);
    expect(delayFor('none', 'GET /admin/usage-stats', ctx, 1)).toBe(0);
    expect(delayFor('realistic', 'GET /admin/usage-stats', ctx, 1)).toBeGreaterThan(10_000);
  });
});
