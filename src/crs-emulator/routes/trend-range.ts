import { fail, type Reply } from '../context.js';
import type { Tz } from '../time.js';
import { HOUR_MS } from '../time.js';

/** Day/hour range of the trend endpoints (docs/crs.md §5.7): `days` (default 7) or the last 24 h / startDate..endDate. */
export type TrendRange =
  | { granularity: 'day'; from: number; to: number }
  | { granularity: 'hour'; from: number; to: number };

export function trendRange(q: URLSearchParams, tz: Tz, now: number): TrendRange | Reply {
  if (q.get('granularity') === 'hour') {
    let start = now - 24 * HOUR_MS;
    let end = now;
    const s = q.get('startDate');
    const e = q.get('endDate');
    if (s && e) {
      start = new Date(s).getTime();
      end = new Date(e).getTime();
      if (Number.isNaN(start) || Number.isNaN(end) || start > end) return fail(400, { error: '无效的时间范围' });
      if (end - start > 24 * HOUR_MS) return fail(400, { error: '小时粒度查询时间范围不能超过24小时' });
    }
    return { granularity: 'hour', from: tz.hourNum(start), to: tz.hourNum(end) };
  }
  const n = Number.parseInt(q.get('days') ?? '', 10);
  const days = Number.isFinite(n) && n > 0 ? n : 7;
  const today = tz.dayNum(now);
  return { granularity: 'day', from: today - days + 1, to: today };
}
