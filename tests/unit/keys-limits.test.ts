import { describe, expect, it } from 'vitest';
import type { KeyLimitCaps } from '../../src/config.js';
import { markerOf, truncateUtf16, withMarker } from '../../src/domain/keys/crs-fields.js';
import { changedLimits, NO_LIMITS, resolveLimits, scaledCap } from '../../src/domain/keys/limits.js';

const noCaps: KeyLimitCaps = {
  tokenLimit: 0,
  dailyCostLimit: 0,
  totalCostLimit: 0,
  rateLimitRequests: 0,
  concurrencyLimit: 0,
  perWindowMinutes: 60,
};
const paths = (r: ReturnType<typeof resolveLimits>) => r.issues.map((i) => i.path);

describe('resolveLimits', () => {
  it('refuses a per-window limit without a window (CRS counts it only inside one)', () => {
    expect(paths(resolveLimits({ tokenLimit: 300 }, undefined, noCaps))).toEqual(['limits.rateLimitWindow']);
    expect(paths(resolveLimits({ rateLimitCost: 1 }, undefined, noCaps))).toEqual(['limits.rateLimitWindow']);
    expect(resolveLimits({ tokenLimit: 300, rateLimitWindow: 60 }, undefined, noCaps).issues).toEqual([]);
  });

  it('judges only what a change touches: an operator’s value above a cap is not the owner’s to answer for', () => {
    const caps = { ...noCaps, dailyCostLimit: 10 };
    const current = { ...NO_LIMITS, dailyCostLimit: 50, tokenLimit: 9, rateLimitWindow: 0 };
    const r = resolveLimits({ concurrencyLimit: 2, dailyCostLimit: 50 }, current, caps);
    expect(r.issues).toEqual([]);
    expect(changedLimits(r.limits, current)).toEqual({ concurrencyLimit: 2 });
    expect(paths(resolveLimits({ dailyCostLimit: 11 }, current, caps))).toEqual(['limits.dailyCostLimit']);
  });

  it('per-window caps: the cap window for a key without one, scaled for a key with its own', () => {
    const caps = { ...noCaps, rateLimitRequests: 600, tokenLimit: 100_000 };
    expect(resolveLimits(undefined, undefined, caps).limits).toMatchObject({
      rateLimitWindow: 60,
      rateLimitRequests: 600,
      tokenLimit: 100_000,
    });
    expect(resolveLimits({ rateLimitWindow: 1 }, undefined, caps).limits).toMatchObject({
      rateLimitRequests: 10,
      tokenLimit: 1666,
    });
    expect(scaledCap(5, 1, 60)).toBe(1);
    expect(paths(resolveLimits({ rateLimitWindow: 120, rateLimitRequests: 1201 }, undefined, caps))).toEqual([
      'limits.rateLimitRequests',
    ]);
  });
});

describe('the create marker', () => {
  it('rides at the end of CRS’s description within its 500 UTF-16 units, never splitting a surrogate pair', () => {
    const marker = '0f8fad5b-d9cb-469f-a165-70867728950e';
    expect(markerOf(withMarker('', marker))).toBe(marker);
    const long = withMarker('😀'.repeat(300), marker);
    expect(long.length).toBeLessThanOrEqual(500);
    expect(markerOf(long)).toBe(marker);
    expect(truncateUtf16('ab😀', 3)).toBe('ab');
    expect(markerOf('no marker here')).toBeUndefined();
    expect(markerOf(`[kp:${marker}] not at the end`)).toBeUndefined();
  });
});
