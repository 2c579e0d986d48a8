import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/domain/errors.js';
import { crsDay, eachDay, resolveRange } from '../../src/domain/usage/range.js';

// 2026-11-25T20:00Z is already 2026-11-26 in CRS's UTC+8.
const now = new Date('2026-11-25T20:00:00Z');

function badField(q: Record<string, string>): string | undefined {
  try {
    resolveRange(q, now, 8);
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe('bad_request');
    return ((e as AppError).details as { path: string }[])[0].path;
  }
  return undefined;
}

describe('resolveRange', () => {
  it('counts Nd as the N CRS days ending today in CRS time', () => {
    expect(crsDay(now, 8)).toBe('2026-11-26');
    expect(resolveRange({ range: '7d' }, now, 8)).toEqual({ from: '2026-11-20', to: '2026-11-26', timezone: 'UTC+8' });
    expect(resolveRange({}, now, 8).from).toBe('2026-10-28'); // default 30d
    expect(resolveRange({ range: '7d' }, now, 0)).toMatchObject({
      from: '2026-11-19',
      to: '2026-11-25',
      timezone: 'UTC',
    });
  });

  it('accepts an inclusive from/to of up to 366 days', () => {
    expect(resolveRange({ from: '2025-01-01', to: '2026-01-01' }, now, 8)).toMatchObject({ from: '2025-01-01' });
    expect(eachDay(resolveRange({ from: '2024-02-27', to: '2024-03-01' }, now, 8))).toEqual([
      '2024-02-27',
      '2024-02-28',
      '2024-02-29',
      '2024-03-01',
    ]);
  });

  it.each([
    [{ range: '400d' }, 'range'],
    [{ from: '2026-01-10', to: '2026-01-01' }, 'from'],
    [{ from: '2024-01-01', to: '2025-01-02' }, 'to'],
    [{ from: '2026-02-30', to: '2026-03-01' }, 'from'],
    [{ from: '2026-13-01', to: '2026-12-31' }, 'from'],
    [{ from: 'yesterday', to: '2026-03-01' }, 'from'],
    [{ from: '2026-01-01' }, 'to'],
    [{ range: '7d', from: '2026-01-01', to: '2026-01-02' }, 'range'],
  ])('rejects %j naming %s', (q, field) => {
    expect(badField(q)).toBe(field);
  });
});

describe('crsDay', () => {
  it('answers each offset’s own day, and the next day once CRS’s midnight has passed (its memo never lags)', () => {
    const at = (iso: string) => new Date(iso);
    // 15:59:59 UTC is 23:59:59 in UTC+8: still the 1st there, the 1st in UTC, the 2nd in UTC+9.
    expect(crsDay(at('2026-06-01T15:59:59Z'), 8)).toBe('2026-06-01');
    expect(crsDay(at('2026-06-01T15:59:59Z'), 0)).toBe('2026-06-01');
    expect(crsDay(at('2026-06-01T15:59:59Z'), 9)).toBe('2026-06-02');
    expect(crsDay(at('2026-06-01T16:00:00Z'), 8)).toBe('2026-06-02');
    expect(crsDay(at('2026-06-01T15:59:59Z'), 8)).toBe('2026-06-01');
    expect(crsDay(at('2026-05-31T23:00:00Z'), -5)).toBe('2026-05-31');
    expect(crsDay(at('1969-12-31T23:00:00Z'), 0)).toBe('1969-12-31');
  });
});

describe('eachDay', () => {
  it('lists every day, across months, leap days and years, and the same list again for the same range', () => {
    const r = { from: '2024-02-27', to: '2024-03-02', timezone: 'UTC' };
    expect(eachDay(r)).toEqual(['2024-02-27', '2024-02-28', '2024-02-29', '2024-03-01', '2024-03-02']);
    expect(eachDay({ from: '2025-12-31', to: '2026-01-01' })).toEqual(['2025-12-31', '2026-01-01']);
    expect(eachDay({ from: '2026-01-01', to: '2026-01-01' })).toEqual(['2026-01-01']);
    // Shared: frozen, so no caller can change another's days.
    expect(Object.isFrozen(eachDay(r))).toBe(true);
    expect(eachDay(r)).toEqual(['2024-02-27', '2024-02-28', '2024-02-29', '2024-03-01', '2024-03-02']);
  });
});
