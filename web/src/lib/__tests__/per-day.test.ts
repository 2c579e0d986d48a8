import { describe, expect, it } from 'vitest';
import { perDayAverage } from '../per-day';

const day = (date: string, requests: number) => ({ date, requests });

describe('requests per day', () => {
  it('counts from the first day with use, not the days before any key existed', () => {
    const year = [
      day('2026-01-01', 0),
      day('2026-01-02', 0),
      day('2026-01-03', 30),
      day('2026-01-04', 0),
      day('2026-01-05', 10),
    ];
    expect(perDayAverage(year, 40)).toEqual({ value: 13, since: '2026-01-03' });
  });

  it('covers the whole range when the first day has use, and is 0 without any', () => {
    expect(perDayAverage([day('2026-01-01', 4), day('2026-01-02', 0)], 4)).toEqual({ value: 2 });
    expect(perDayAverage([day('2026-01-01', 0), day('2026-01-02', 0)], 0)).toEqual({ value: 0 });
  });
});
