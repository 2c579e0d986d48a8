import type { Deps } from '../../deps.js';
import { costUsageAtLeast } from '../../infra/db/repos/notify-detect.js';
import { toMicros } from '../money.js';
import { crsDayPeriod, type LimitUsage } from './rules.js';

/**
 * Usage against limits, as the event detection reads it: every key at or above `minRatio` of one of its limits,
 * a page at a time in key order. Issue 13 computes limit usage for every kind (its `limitUsage`, with weekly Opus
 * and window figures from CRS's per-key stats); until it is merged the portal's own tables answer for the two cost
 * limits they hold (`costUsageFromTables`), and a source that knows more replaces it in the composition root.
 */
export interface LimitUsageSource {
  atLeast(q: {
    minRatio: number;
    now: Date;
    after: string | null;
    pageSize: number;
  }): Promise<{ items: LimitUsage[]; last: string | null }>;
}

/**
 * Daily cost (today in CRS's time zone, from `usage_daily`) and total cost (the key's lifetime totals), both
 * copied from CRS by the sync. The total cost has no period of its own: its "period" is the limit, so a raised
 * limit is crossed anew.
 */
export function costUsageFromTables(deps: Pick<Deps, 'database' | 'config'>): LimitUsageSource {
  return {
    async atLeast({ minRatio, now, after, pageSize }) {
      const { day, end } = crsDayPeriod(now, deps.config.crs.timezoneOffset);
      const rows = await costUsageAtLeast(deps.database.db, { today: day, minRatio, afterId: after, limit: pageSize });
      const items: LimitUsage[] = [];
      for (const r of rows) {
        const base = { keyId: r.id, userId: r.userId, keyName: r.name };
        if (r.dailyLimit > 0) {
          const limit = toMicros(r.dailyLimit);
          items.push({
            ...base,
            kind: 'daily_cost',
            used: r.todayCost,
            limit,
            period: day,
            periodEnd: end,
            resetsAt: end,
          });
        }
        if (r.totalLimit > 0) {
          const limit = toMicros(r.totalLimit);
          items.push({ ...base, kind: 'total_cost', used: r.totalCost, limit, period: `limit-${limit}` });
        }
      }
      return { items, last: rows.length === pageSize ? rows[rows.length - 1].id : null };
    },
  };
}
