import { describe, expect, it } from 'vitest';
import { NO_LIMITS } from '../../src/domain/keys/limits.js';
import { judge } from '../../src/jobs/sync/judge.js';
import type { ListedKey, PortalKeyState } from '../../src/jobs/sync/plan.js';
import { listedCrsKey, portalRow } from '../helpers/sync-fixtures.js';

const now = new Date('2026-11-26T00:00:00Z');
const row = (over: Partial<PortalKeyState> = {}) => portalRow({ rev: 3, updatedAt: now, ...over });
const listed = (over: Partial<ListedKey> = {}) => listedCrsKey({ owner: 'u1', ...over });
const pending = (fields: NonNullable<PortalKeyState['pendingWrite']>['fields'], deadlineMs: number) => ({
  id: 'p1',
  deadline: new Date(now.getTime() + deadlineMs).toISOString(),
  fields,
});

describe('judge', () => {
  it('nothing to write when CRS agrees', () => {
    expect(judge(row(), listed(), now)).toBeUndefined();
  });

  it('an operator’s disable is audited and locks', () => {
    const s = judge(row(), listed({ isActive: false }), now)!;
    expect(s).toMatchObject({ status: 'disabled', rev: 3, locks: { disabled: true } });
    expect(s.audits.map((a) => a.action)).toEqual(['key.operator_change', 'key.locked']);
  });

  it('a row with the portal’s own write in flight is not judged', () => {
    expect(
      judge(row({ pendingWrite: pending({ status: 'disabled' }, 1000) }), listed({ isActive: false }), now),
    ).toBeUndefined();
  });

  it('past its deadline, what the portal was sending is adopted silently; anything else is the operator’s', () => {
    const p = pending({ status: 'disabled', limits: { concurrencyLimit: 2 } }, -1000);
    const s = judge(
      row({ pendingWrite: p }),
      listed({ isActive: false, limits: { ...NO_LIMITS, concurrencyLimit: 2, dailyCostLimit: 4 } }),
      now,
    )!;
    expect(s).toMatchObject({ status: 'disabled', clearPending: true, locks: { limits: { dailyCostLimit: 4 } } });
    expect(s.locks?.disabled).toBeUndefined();
    expect(Object.keys(s.audits[0].details.changes as object)).toEqual(['limits.dailyCostLimit']);
  });

  it('a suspended key’s status is the portal’s; CRS’s expiry is `expired`, not a lock', () => {
    expect(judge(row({ suspended: true }), listed({ isActive: false }), now)?.locks).toBeNull();
    const expired = judge(row(), listed({ isActive: false, expiresAt: '2026-11-25T00:00:00Z' }), now)!;
    expect(expired).toMatchObject({ status: 'expired', locks: null });
  });

  it('removed in CRS: deleted or gone, audited unless the portal was deleting it', () => {
    expect(judge(row(), { removed: 'gone' }, now)).toMatchObject({ status: 'deleted', crsState: 'gone' });
    const own = judge(row({ pendingWrite: pending({ deleted: true }, -1) }), { removed: 'deleted' }, now)!;
    expect(own.audits).toEqual([]);
  });
});
