/** How a limit meter reads (docs/product.md §2.4): how full it is, and when it turns amber and red. */
import type { LimitKind, LimitUsage } from '../api/contract';

export type Level = 'ok' | 'warn' | 'danger';

/** Amber from three quarters of a limit, red from nine tenths: time to act before CRS refuses requests. */
export const WARN_AT = 0.75;
export const DANGER_AT = 0.9;
/** An expiry turns amber a week before, red a day before. */
const DAY_MS = 86_400_000;

/** Money limits are USD; the window's request and token limits are counts. */
export const MONEY_KINDS: ReadonlySet<LimitKind> = new Set([
  'daily_cost',
  'total_cost',
  'weekly_opus_cost',
  'window_cost',
]);

/** used / limit, 0–1 (more when CRS counted past it); null for a meter without both. */
export function fraction(m: LimitUsage): number | null {
  if (m.used === null || m.limit === null || m.limit <= 0) return null;
  return m.used / m.limit;
}

export function level(m: LimitUsage, now = Date.now()): Level {
  if (m.kind === 'expiry') {
    const left = m.resetsAt ? Date.parse(m.resetsAt) - now : Number.POSITIVE_INFINITY;
    return left < DAY_MS ? 'danger' : left < 7 * DAY_MS ? 'warn' : 'ok';
  }
  const f = fraction(m);
  if (f === null) return 'ok';
  return f >= DANGER_AT ? 'danger' : f >= WARN_AT ? 'warn' : 'ok';
}

/** The meters worth a bar (a used figure against a limit), fullest first: what the compact list cell shows. */
export function barMeters(meters: LimitUsage[]): LimitUsage[] {
  return meters.filter((m) => fraction(m) !== null).sort((a, b) => (fraction(b) ?? 0) - (fraction(a) ?? 0));
}

const PERIOD_MS: Partial<Record<LimitKind, number>> = { daily_cost: DAY_MS, weekly_opus_cost: 7 * DAY_MS };

/**
 * A meter counted before its reset reads 0 once the reset has passed (the API's figure was right when sent, and a
 * cached answer may be up to a sync interval older): a day or a week starts again, a window closes.
 */
export function current(m: LimitUsage, now = Date.now()): LimitUsage {
  if (m.kind === 'expiry' || m.kind === 'total_cost' || !m.resetsAt || Date.parse(m.resetsAt) > now) return m;
  const period = PERIOD_MS[m.kind];
  if (!period) return { ...m, used: m.used === null ? null : 0, resetsAt: null };
  let next = Date.parse(m.resetsAt);
  while (next <= now) next += period;
  return { ...m, used: 0, resetsAt: new Date(next).toISOString() };
}
