import { describe, expect, it } from 'vitest';
import type { LimitUsage } from '../../api/contract';
import { barMeters, current, level } from '../meters';

const m = (over: Partial<LimitUsage>): LimitUsage => ({
  kind: 'daily_cost',
  used: 5,
  limit: 10,
  resetsAt: '2026-03-04T16:00:00.000Z',
  asOf: null,
  ...over,
});
const at = (iso: string) => Date.parse(iso);
const DAY = 86_400_000;

describe('limit meters in the browser', () => {
  it('turns amber at 75 % and red at 90 %; an expiry a week and a day before', () => {
    expect(level(m({ used: 7.4 }))).toBe('ok');
    expect(level(m({ used: 7.5 }))).toBe('warn');
    expect(level(m({ used: 9 }))).toBe('danger');
    const start = at('2026-03-01T00:00:00Z');
    const expiry = (days: number) =>
      m({ kind: 'expiry', used: null, limit: null, resetsAt: new Date(start + days * DAY).toISOString() });
    expect(level(expiry(8), start)).toBe('ok');
    expect(level(expiry(6), start)).toBe('warn');
    expect(level(expiry(0.5), start)).toBe('danger');
  });

  it('past its reset a day or a week starts again at 0, a window closes; a total never resets', () => {
    const after = at('2026-03-05T17:00:00Z');
    expect(current(m({}), after)).toMatchObject({ used: 0, resetsAt: '2026-03-06T16:00:00.000Z' });
    expect(current(m({ kind: 'weekly_opus_cost' }), after)).toMatchObject({
      used: 0,
      resetsAt: '2026-03-11T16:00:00.000Z',
    });
    expect(current(m({ kind: 'window_requests' }), after)).toMatchObject({ used: 0, resetsAt: null });
    expect(current(m({ kind: 'total_cost', resetsAt: null }), after)).toMatchObject({ used: 5 });
    expect(current(m({}), at('2026-03-04T15:00:00Z'))).toMatchObject({ used: 5 });
  });

  it('the list cell shows the fullest meters first, only those with a figure and a limit', () => {
    const list = barMeters([
      m({ kind: 'daily_cost', used: 1 }),
      m({ kind: 'concurrency', used: null, limit: 3 }),
      m({ kind: 'weekly_opus_cost', used: 9 }),
    ]);
    expect(list.map((x) => x.kind)).toEqual(['weekly_opus_cost', 'daily_cost']);
  });
});
