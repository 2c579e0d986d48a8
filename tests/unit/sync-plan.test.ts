import { describe, expect, it } from 'vitest';
import type { JobRow } from '../../src/infra/db/repos/jobs.js';
import { crsStatus, stagedKey } from '../../src/jobs/sync/plan.js';
import { readsTotals } from '../../src/jobs/sync/totals-policy.js';
import { listedCrsKey } from '../helpers/sync-fixtures.js';

const now = new Date('2026-11-26T00:00:00Z');
const crsKey = listedCrsKey;

describe('crsStatus', () => {
  it('maps what CRS says to the portal status', () => {
    expect(crsStatus(crsKey({ isActive: false }), now)).toBe('disabled');
    // CRS keeps an expired key active until its hourly cleanup: the portal says expired at once.
    expect(crsStatus(crsKey({ expiresAt: '2026-11-25T00:00:00Z' }), now)).toBe('expired');
    expect(crsStatus(crsKey({ expiresAt: '2027-01-01T00:00:00Z' }), now)).toBe('active');
  });
});

describe('stagedKey', () => {
  it('keeps what CRS sent and the instants the SQL compares', () => {
    const k = stagedKey(crsKey({ expiresAt: '2027-01-01T08:00:00+08:00', models: ['b', 'a'] }), 3, now);
    expect(k).toMatchObject({
      crsKeyId: 'c1',
      page: 3,
      expiresAt: '2027-01-01T08:00:00+08:00',
      expiresTs: '2027-01-01T00:00:00.000Z',
      lastUsedTs: null,
      crsStatus: 'active',
      models: ['b', 'a'],
    });
  });

  it('fails on a timestamp no Date can read (the judgement would have)', () => {
    expect(() => stagedKey(crsKey({ lastUsedAt: 'soon' }), 1, now)).toThrow(RangeError);
  });
});

describe('readsTotals (decision 032)', () => {
  const policy = { intervalMs: 600_000, timezoneOffset: 8, readWithinMs: 300_000 };
  // 2026-11-26 12:00 in CRS's UTC+8.
  const at = new Date('2026-11-26T04:00:00Z');
  const job = (over: Partial<JobRow> = {}): JobRow => ({
    name: 'usage-sync',
    lastRunAt: at,
    lastSuccessAt: new Date(at.getTime() - 60_000),
    lastFullAt: at,
    lastDurationMs: 1,
    lastError: null,
    keysUpdated: 0,
    runs: 1,
    failures: 0,
    lastTotalsAt: new Date(at.getTime() - 120_000),
    totalsDue: false,
    ...over,
  });

  it('lets the trend carry the totals between reads', () => {
    expect(readsTotals(job(), at, false, policy)).toBe(false);
  });

  it('reads them on a full cycle, the first, past the interval, when asked, or when set to every cycle', () => {
    expect(readsTotals(job(), at, true, policy)).toBe(true);
    expect(readsTotals(undefined, at, false, policy)).toBe(true);
    expect(readsTotals(job({ lastTotalsAt: null }), at, false, policy)).toBe(true);
    expect(readsTotals(job({ lastTotalsAt: new Date(at.getTime() - 600_000) }), at, false, policy)).toBe(true);
    expect(readsTotals(job({ totalsDue: true }), at, false, policy)).toBe(true);
    expect(readsTotals(job(), at, false, { ...policy, intervalMs: 0 })).toBe(true);
  });

  it('reads them when the last successful cycle began on a day the trend no longer covers', () => {
    // Yesterday (CRS day) is still in the 2-day trend …
    const yesterday = new Date('2026-11-25T00:30:00Z');
    expect(readsTotals(job({ lastSuccessAt: yesterday, lastTotalsAt: at }), at, false, policy)).toBe(false);
    // … the day before is not.
    const before = new Date('2026-11-24T15:59:00Z');
    expect(readsTotals(job({ lastSuccessAt: before, lastTotalsAt: at }), at, false, policy)).toBe(true);
    // A read that may end after CRS's midnight counts from the next day.
    const nearMidnight = new Date('2026-11-26T15:58:00Z');
    expect(
      readsTotals(job({ lastSuccessAt: yesterday, lastTotalsAt: nearMidnight }), nearMidnight, false, policy),
    ).toBe(true);
  });
});
