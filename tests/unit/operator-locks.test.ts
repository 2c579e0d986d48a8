import { describe, expect, it } from 'vitest';
import { NO_LIMITS } from '../../src/domain/keys/limits.js';
import {
  isTighter,
  lockLimit,
  lockModels,
  lockStatus,
  ownerViolations,
  release,
} from '../../src/domain/keys/operator-locks.js';

const at = '2026-11-26T00:00:00.000Z';

describe('operator locks', () => {
  it('tightening: lower, or set where there was none; for the window, longer', () => {
    expect(isTighter('dailyCostLimit', 10, 5)).toBe(true);
    expect(isTighter('dailyCostLimit', 0, 5)).toBe(true);
    expect(isTighter('dailyCostLimit', 5, 10)).toBe(false);
    expect(isTighter('dailyCostLimit', 5, 0)).toBe(false);
    expect(isTighter('rateLimitWindow', 60, 120)).toBe(true);
    expect(isTighter('rateLimitWindow', 60, 30)).toBe(false);
  });

  it('a tightening locks, a loosening moves the ceiling, 0 clears it', () => {
    const locked = lockLimit(null, 'concurrencyLimit', 0, 3, at);
    expect(locked).toEqual({ since: at, limits: { concurrencyLimit: 3 }, models: [] });
    expect(lockLimit(locked, 'concurrencyLimit', 3, 8, at)?.limits).toEqual({ concurrencyLimit: 8 });
    expect(lockLimit(locked, 'concurrencyLimit', 3, 0, at)).toBeNull();
    // A loosening of something not held changes no lock.
    expect(lockLimit(null, 'totalCostLimit', 5, 9, at)).toBeNull();
  });

  it('disable and model blocks lock; re-enable and unblock free', () => {
    const off = lockStatus(null, true, at);
    expect(off?.disabled).toBe(true);
    expect(lockStatus(off, false, at)).toBeNull();
    const blocked = lockModels(null, ['a'], ['a', 'b'], at);
    expect(blocked?.models).toEqual(['b']);
    expect(lockModels(blocked, ['a', 'b'], ['a'], at)).toBeNull();
  });

  it('what the owner may not do while held, judged on values that change only', () => {
    const locks = {
      since: at,
      disabled: true as const,
      limits: { dailyCostLimit: 5, rateLimitWindow: 60 },
      models: ['m'],
    };
    const current = { limits: { ...NO_LIMITS, dailyCostLimit: 5, rateLimitWindow: 60 }, models: ['m'] };
    const paths = (next: Parameters<typeof ownerViolations>[2]) =>
      ownerViolations(locks, current, next).map((i) => i.path);
    expect(paths({ status: 'active' })).toEqual(['status']);
    expect(paths({ limits: { ...current.limits, dailyCostLimit: 6 } })).toEqual(['limits.dailyCostLimit']);
    expect(paths({ limits: { ...current.limits, dailyCostLimit: 4, rateLimitWindow: 90 } })).toEqual([]);
    expect(paths({ limits: { ...current.limits, rateLimitWindow: 30 } })).toEqual(['limits.rateLimitWindow']);
    expect(paths({ models: [] })).toEqual(['models']);
    expect(paths({ limits: current.limits, models: ['m', 'x'] })).toEqual([]);
  });

  it('release frees the named fields, all by default', () => {
    const locks = { since: at, disabled: true as const, limits: { dailyCostLimit: 5 }, models: ['m'] };
    expect(release(locks, ['status'])).toEqual({ since: at, limits: { dailyCostLimit: 5 }, models: ['m'] });
    expect(release(locks, ['status', 'models', 'limits.dailyCostLimit'])).toBeNull();
    expect(release(locks)).toBeNull();
  });
});
