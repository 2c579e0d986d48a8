import type { KeyLimits, KeyStatus } from '../keys/types.js';
import { fromMicros } from '../money.js';
import { nextCrsMidnight, nextOpusReset, opusWeekStart } from './crs-time.js';
import type { LimitKind, LimitUsage, MeterFigures } from './types.js';

export type { LimitKind, LimitUsage, MeterFigures } from './types.js';

/**
 * The limit meters of a key (docs/product.md §2.4): for every limit it has, how much of it is used and when that
 * resets. Pure: the figures come from the portal's synced rows (today's cost, lifetime cost) and from what the sync
 * last read from CRS's per-key stats (the rate window, the weekly Opus cost: docs/decisions/024). A figure read
 * before its reset counts as 0 after it, so a meter is right at a boundary without asking CRS.
 */

/** What the meters need of a key row. */
export interface MeteredKey {
  status: KeyStatus;
  limits: KeyLimits;
  totalCostMicros: number;
  expiresAt: Date | null;
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

export function limitUsage(
  key: MeteredKey,
  figures: MeterFigures | undefined,
  now: Date,
  offsetHours: number,
): LimitUsage[] {
  if (key.status === 'deleted') return [];
  const l = key.limits;
  const out: LimitUsage[] = [];
  const readAt = iso(figures?.limitsReadAt);
  if (l.dailyCostLimit > 0) {
    out.push({
      kind: 'daily_cost',
      used: fromMicros(figures?.todayCostMicros ?? 0),
      limit: l.dailyCostLimit,
      resetsAt: iso(nextCrsMidnight(now, offsetHours)),
      asOf: null,
    });
  }
  if (l.totalCostLimit > 0) {
    out.push({
      kind: 'total_cost',
      used: fromMicros(key.totalCostMicros),
      limit: l.totalCostLimit,
      resetsAt: null,
      asOf: null,
    });
  }
  if (l.weeklyOpusCostLimit > 0) {
    // Without a read yet: CRS's default week (Monday 00:00) and nothing counted.
    const day = figures?.weeklyResetDay ?? 1;
    const hour = figures?.weeklyResetHour ?? 0;
    const week = opusWeekStart(now, day, hour, offsetHours);
    const sameWeek = figures?.opusWeekStart?.getTime() === week.getTime();
    out.push({
      kind: 'weekly_opus_cost',
      used: sameWeek ? fromMicros(figures?.opusCostMicros ?? 0) : 0,
      limit: l.weeklyOpusCostLimit,
      resetsAt: iso(nextOpusReset(now, day, hour, offsetHours)),
      asOf: readAt,
    });
  }
  if (l.rateLimitWindow > 0) out.push(...windowMeters(l, figures, now, readAt));
  if (l.concurrencyLimit > 0) {
    // CRS's admin API and per-key stats say the limit, never how many requests are in flight.
    out.push({ kind: 'concurrency', used: null, limit: l.concurrencyLimit, resetsAt: null, asOf: null });
  }
  if (key.expiresAt) {
    out.push({ kind: 'expiry', used: null, limit: null, resetsAt: iso(key.expiresAt), asOf: null });
  }
  return out;
}

/**
 * The capped figures of the current rate window (docs/crs.md, quirk 16: the caps count only inside a window). A
 * window that has ended counts 0 until the next request opens one (resetsAt null: no window is open).
 */
function windowMeters(l: KeyLimits, f: MeterFigures | undefined, now: Date, asOf: string | null): LimitUsage[] {
  const open = f?.windowEnd && f.windowEnd.getTime() > now.getTime() ? f : undefined;
  const resetsAt = iso(open?.windowEnd);
  const meters: Array<[LimitKind, number, number]> = [
    ['window_requests', l.rateLimitRequests, open?.windowRequests ?? 0],
    ['window_tokens', l.tokenLimit, open?.windowTokens ?? 0],
    ['window_cost', l.rateLimitCost, fromMicros(open?.windowCostMicros ?? 0)],
  ];
  return meters.filter(([, limit]) => limit > 0).map(([kind, limit, used]) => ({ kind, used, limit, resetsAt, asOf }));
}
