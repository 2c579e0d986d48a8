import { describe, expect, it } from 'vitest';
import { formatter } from '../format';
import { niceTicks } from '../ticks';

const en = formatter('en');
const zh = formatter('zh-CN');

describe('axis ticks', () => {
  it('are round: steps of 1, 2 or 5 × 10ⁿ from 0, at most five, the last at or above the maximum', () => {
    expect(niceTicks(1_900_000, true)).toEqual([0, 500_000, 1_000_000, 1_500_000, 2_000_000]);
    expect(niceTicks(950_000, true)).toEqual([0, 500_000, 1_000_000]);
    expect(niceTicks(16_000, true)).toEqual([0, 5_000, 10_000, 15_000, 20_000]);
    expect(niceTicks(7, true)).toEqual([0, 2, 4, 6, 8]);
    expect(niceTicks(3, true)).toEqual([0, 1, 2, 3]);
    expect(niceTicks(0.37, false)).toEqual([0, 0.1, 0.2, 0.3, 0.4]);
    expect(niceTicks(0, true)).toEqual([0, 1]);
    expect(niceTicks(Number.NaN, false)).toEqual([0, 0.01]);
  });

  it('are written one way on an axis: never "8,000" beside "16K"', () => {
    const tokens = en.axis(19_000, 'count');
    expect(tokens.ticks.map(tokens.format)).toEqual(['0', '5K', '10K', '15K', '20K']);
    const small = en.axis(8_000, 'count');
    expect(small.ticks.map(small.format)).toEqual(['0', '2,000', '4,000', '6,000', '8,000']);
    const zhTokens = zh.axis(1_900_000, 'count');
    expect(zhTokens.ticks.map(zhTokens.format)).toEqual(['0', '50万', '100万', '150万', '200万']);
  });

  it('write money with the decimals its step needs', () => {
    const cents = en.axis(0.37, 'money');
    expect(cents.ticks.map(cents.format)).toEqual(['$0.00', '$0.10', '$0.20', '$0.30', '$0.40']);
    const dollars = en.axis(37, 'money');
    expect(dollars.ticks.map(dollars.format)).toEqual(['$0', '$10', '$20', '$30', '$40']);
    const big = en.axis(42_000, 'money');
    expect(big.ticks.map(big.format)).toEqual(['$0', '$20K', '$40K', '$60K']);
  });
});

describe('days and timestamps', () => {
  it('give chart days their year when the range spans years', () => {
    expect(en.dayOfSpan('2026-01-01', '2026-03-31')('2026-02-01')).toBe('Feb 1');
    expect(en.dayOfSpan('2025-03-01', '2026-02-28')('2025-12-31')).toBe('Dec 31, 2025');
    expect(zh.dayOfSpan('2025-03-01', '2026-02-28')('2026-01-05')).toBe('2026年1月5日');
  });

  it('write a range of CRS days once, with its year', () => {
    // Intl puts thin spaces around the dash.
    const range = (a: string, b: string) => en.dayRange(a, b).replace(/\s/g, ' ');
    expect(range('2026-03-01', '2026-03-30')).toBe('Mar 1 – 30, 2026');
    expect(range('2025-12-20', '2026-01-10')).toBe('Dec 20, 2025 – Jan 10, 2026');
    expect(range('2026-03-01', '2026-03-01')).toBe('Mar 1, 2026');
  });

  it('show a timestamp’s date in the reader’s zone (the key list and key detail agree)', () => {
    // The test run's zone is the machine's; the date must match what dateTime says for the same instant.
    const iso = '2026-01-01T20:30:00Z';
    const local = new Date(iso);
    const expected = new Intl.DateTimeFormat('en', { year: 'numeric', month: 'short', day: 'numeric' }).format(local);
    expect(en.date(iso)).toBe(expected);
    expect(en.dateTime(iso).startsWith(expected)).toBe(true);
  });
});

describe('durations', () => {
  it('spell out their unit: 10.1 min is minutes, not millions', () => {
    expect(en.duration(250)).toBe('250 ms');
    expect(en.duration(606_000)).toBe('10.1 min');
    expect(en.duration(9_000_000)).toBe('2.5 hr');
    expect(en.duration(3 * 86_400_000)).toBe('3 days');
    expect(zh.duration(606_000)).toBe('10.1分钟');
  });
});
