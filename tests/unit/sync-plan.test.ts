import { describe, expect, it } from 'vitest';
import type { CrsKeyUsage, CrsTrendEntry } from '../../src/infra/crs/types.js';
import {
  crsStatus,
  dailyRows,
  type ListedKey,
  type PortalKeyState,
  planKeys,
  splitWeights,
} from '../../src/jobs/sync/plan.js';
import { listedCrsKey, portalRow } from '../helpers/sync-fixtures.js';

const now = new Date('2026-11-26T00:00:00Z');

const row = portalRow;
const crsKey = listedCrsKey;

const usage = (t: Partial<CrsKeyUsage['total']>): CrsKeyUsage => ({
  keyId: 'c1',
  name: 'k',
  total: {
    requests: 0,
    tokens: 0,
    inputTokens: 0,
    outputTokens: 0,
    cacheCreateTokens: 0,
    cacheReadTokens: 0,
    cost: 0,
    ...t,
  },
});

describe('crsStatus', () => {
  it('maps what CRS says to the portal status', () => {
    expect(crsStatus(crsKey({ isActive: false }), now)).toBe('disabled');
    // CRS keeps an expired key active until its hourly cleanup: the portal says expired at once.
    expect(crsStatus(crsKey({ expiresAt: '2026-11-25T00:00:00Z' }), now)).toBe('expired');
    expect(crsStatus(crsKey({ expiresAt: '2027-01-01T00:00:00Z' }), now)).toBe('active');
  });
});

describe('splitWeights', () => {
  it('uses the split of what changed since the last sync', () => {
    const before = row({ inputTokens: 100, outputTokens: 100, cacheReadTokens: 800 });
    const w = splitWeights(before, usage({ inputTokens: 150, outputTokens: 150, cacheReadTokens: 800 }));
    expect(w).toEqual([0.5, 0.5, 0, 0]);
  });

  it('falls back to the lifetime ratio when nothing usable changed', () => {
    expect(splitWeights(row(), usage({ inputTokens: 1, cacheReadTokens: 3 }))).toEqual([0.25, 0, 0, 0.75]);
    expect(splitWeights(row({ inputTokens: 10 }), usage({ inputTokens: 5, outputTokens: 5 }))).toEqual([
      0.5, 0.5, 0, 0,
    ]);
    expect(splitWeights(row(), undefined)).toEqual([1, 0, 0, 0]);
  });
});

/** Both halves of a sync plan, as runSync uses them. */
function planSync(
  rows: PortalKeyState[],
  listed: Map<string, ListedKey>,
  stats: Map<string, CrsKeyUsage>,
  trend: CrsTrendEntry[],
) {
  const { keyUpdates, refs } = planKeys(rows, listed, stats);
  return { keyUpdates, daily: dailyRows(trend, refs) };
}

describe('planKeys and dailyRows', () => {
  it('updates only keys whose numbers changed and maps trend days to portal keys', () => {
    const rows = [
      row(),
      row({ id: 'k2', crsKeyId: 'c2', userId: 'u2' }),
      row({ id: 'k3', crsKeyId: 'c3', userId: 'u3' }),
    ];
    const listed = new Map([
      ['c1', crsKey()],
      ['c2', crsKey({ id: 'c2', lastUsedAt: '2026-11-25T10:00:00.000Z' })],
      ['c3', crsKey({ id: 'c3' })],
    ]);
    const stats = new Map([
      ['c1', usage({ requests: 2, tokens: 30, inputTokens: 10, outputTokens: 20, cost: 0.0123456 })],
    ]);
    const trend = [
      { date: '2026-11-26', keyId: 'c1', tokens: 30, requests: 2, cost: 0.012346 },
      { date: '2026-11-26', keyId: 'other', tokens: 9, requests: 1, cost: 1 },
    ];
    const plan = planSync(rows, listed, stats, trend);
    expect(plan.keyUpdates.map((u) => [u.id, u.lastUsedAt?.toISOString() ?? null])).toEqual([
      ['k1', null],
      ['k2', '2026-11-25T10:00:00.000Z'],
    ]);
    expect(plan.keyUpdates[0]).toMatchObject({ totalTokens: 30, totalCostMicros: 12346 });
    expect(plan.daily).toEqual([
      {
        apiKeyId: 'k1',
        userId: 'u1',
        day: '2026-11-26',
        requests: 2,
        tokens: 30,
        costMicros: 12346,
        weights: [1 / 3, 2 / 3, 0, 0],
      },
    ]);
  });

  it('keeps the last totals of a key missing from usage-stats (its state is judged apart)', () => {
    const plan = planSync([row({ totalTokens: 5, synced: false })], new Map(), new Map(), []);
    expect(plan.keyUpdates[0]).toMatchObject({ totalTokens: 5 });
  });

  it('writes a key the first time the sync sees it, even unused', () => {
    const plan = planSync([row({ synced: false })], new Map([['c1', crsKey()]]), new Map([['c1', usage({})]]), []);
    expect(plan.keyUpdates).toHaveLength(1);
  });
});
