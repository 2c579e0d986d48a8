import type { Db } from '../../infra/db/client.js';
import { userKeys } from '../../infra/db/repos/usage.js';
import { hourlyRows } from '../../infra/db/repos/usage-hourly.js';
import { AppError, notFound } from '../errors.js';
import { fromMicros } from '../money.js';
import { getOrAdd } from './aggregate.js';
import { openBody } from './body.js';
import { addDays, crsDayStart, type DayRange, daysBetween } from './range.js';

/**
 * The hourly view (`granularity=hour`): every hour of the range's CRS days, from the portal's usage_hourly (synced
 * from CRS's per-key hourly trend, which CRS keeps 7 days). Requests, tokens and cost per hour and per key; CRS's
 * hourly trend has no token split, so neither has this view. No CRS call.
 */

const HOUR_MS = 3_600_000;
/** CRS keeps hourly buckets 7 days (docs/crs.md §7.4): a longer hourly range would be mostly empty. */
export const MAX_HOURLY_DAYS = 7;

interface Sum {
  requests: number;
  tokens: number;
  costMicros: number;
}

const zero = (): Sum => ({ requests: 0, tokens: 0, costMicros: 0 });
const brief = (s: Sum) => ({ requests: s.requests, tokens: s.tokens, cost: fromMicros(s.costMicros) });

export function checkHourlyRange(r: DayRange): void {
  if (daysBetween(r.from, r.to) > MAX_HOURLY_DAYS) {
    const message = `the hourly view spans at most ${MAX_HOURLY_DAYS} days (CRS keeps hours 7 days)`;
    throw new AppError('bad_request', `granularity: ${message}`, [{ path: 'granularity', message }]);
  }
}

export async function hourlyAnswer(db: Db, userId: string, r: DayRange, offset: number, keyId?: string) {
  const from = crsDayStart(r.from, offset);
  const to = crsDayStart(addDays(r.to, 1), offset);
  const [rows, keys] = await Promise.all([
    hourlyRows(db, userId, from, to, keyId ? [keyId] : undefined),
    userKeys(db, userId),
  ]);
  if (keyId && !keys.some((k) => k.id === keyId)) throw notFound('Key');
  const hours = Math.round((to.getTime() - from.getTime()) / HOUR_MS);
  const series = Array.from({ length: hours }, () => ({ total: zero(), keys: new Map<string, Sum>() }));
  const totals = zero();
  const byKey = new Map<string, Sum>();
  for (const row of rows) {
    const h = series[Math.floor((row.hour.getTime() - from.getTime()) / HOUR_MS)];
    if (!h) continue;
    for (const s of [totals, h.total, slot(h.keys, row.apiKeyId), slot(byKey, row.apiKeyId)]) {
      s.requests += row.requests;
      s.tokens += row.tokens;
      s.costMicros += row.costMicros;
    }
  }
  // Live keys always appear (with zeros); deleted ones only with usage in the range, as in the daily view.
  const perKey = keys
    .filter((k) => (keyId ? k.id === keyId : k.status !== 'deleted' || byKey.has(k.id)))
    .map((k) => ({ keyId: k.id, name: k.name, ...brief(byKey.get(k.id) ?? zero()) }))
    .sort((a, b) => b.tokens - a.tokens || a.name.localeCompare(b.name));
  return openBody({
    granularity: 'hour',
    range: r,
    totals: brief(totals),
    series: series.map((h, i) => ({
      hour: new Date(from.getTime() + i * HOUR_MS).toISOString(),
      ...brief(h.total),
      keys: [...h.keys].map(([id, s]) => ({ keyId: id, ...brief(s) })),
    })),
    perKey,
  });
}

const slot = (map: Map<string, Sum>, id: string): Sum => getOrAdd(map, id, zero);
