import type { KeyRow } from '../../infra/db/repos/keys.js';
import { limitUsage } from '../meters/limit-usage.js';
import type { MeterFigures } from '../meters/types.js';
import { fromMicros } from '../money.js';
import { limitsOf } from './limits.js';
import { toHold } from './operator-locks.js';
import type { KeyStatus, KeyView } from './types.js';

/**
 * CRS disables an expired key only in an hourly cleanup (docs/crs.md §4.4), so "expired" is derived from the
 * clock here rather than trusted from the last sync.
 */
export function effectiveStatus(row: Pick<KeyRow, 'status' | 'expiresAt'>, now: Date): KeyStatus {
  if (row.status === 'active' && row.expiresAt && row.expiresAt.getTime() <= now.getTime()) return 'expired';
  return row.status;
}

export const maskKey = (prefix: string, last4: string) => `${prefix}…${last4}`;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export interface ViewContext {
  /**
   * The last successful sync: it confirmed the totals of every live key it saw, changed or not, so a live key's
   * usage is as fresh as that (deleted keys keep the time their totals last changed).
   */
  syncedAt?: string | null;
  /** What the limit meters are computed from (repos/key-reads.ts meterFigures); absent for a key just made. */
  figures?: MeterFigures;
  /** CRS's timezone: limits reset at CRS's midnight and weekday (docs/crs.md §7.1). */
  offsetHours: number;
}

export function toKeyView(row: KeyRow, now: Date, ctx: ViewContext): KeyView {
  const syncedAt = ctx.syncedAt ?? null;
  const usageAsOf =
    row.usageSyncedAt && row.status !== 'deleted' && syncedAt && syncedAt > row.usageSyncedAt.toISOString()
      ? syncedAt
      : iso(row.usageSyncedAt);
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    status: effectiveStatus(row, now),
    maskedKey: maskKey(row.keyPrefix, row.keyLast4),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    expiresAt: iso(row.expiresAt),
    lastUsedAt: iso(row.lastUsedAt),
    limits: limitsOf(row.limits),
    models: row.models,
    origin: row.origin,
    operator: toHold(row.operatorLocks),
    crsState: row.crsState,
    usage: {
      requests: row.totalRequests,
      tokens: row.totalTokens,
      inputTokens: row.inputTokens,
      outputTokens: row.outputTokens,
      cacheCreateTokens: row.cacheCreateTokens,
      cacheReadTokens: row.cacheReadTokens,
      cost: fromMicros(row.totalCostMicros),
      asOf: usageAsOf,
    },
    limitUsage: limitUsage({ ...row, status: effectiveStatus(row, now) }, ctx.figures, now, ctx.offsetHours),
  };
}
