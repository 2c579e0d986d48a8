import type { Deps } from '../../deps.js';
import type { KeyRow } from '../../infra/db/repos/keys.js';
import { costUsageAtLeast, meteredKeysAfter } from '../../infra/db/repos/notify-detect.js';
import type { LimitUsage as Meter, MetersService } from '../meters/index.js';
import { toMicros } from '../money.js';
import { crsDayPeriod, type LimitUsage } from './rules.js';

/**
 * Usage against limits, as the event detection reads it: every key at or above `minRatio` of one of its limits,
 * a page at a time in key order. The cost limits come from the portal's own tables (`costUsageFromTables`, one
 * statement that filters by the ratio); the weekly Opus cost and the rate window from the limit meters
 * (`meteredLimitUsage`), which read what the sync last read of CRS's per-key stats (docs/decisions/024).
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

/** The cursor of the second pass: keys whose meters need CRS's per-key figures. */
const METERED_PASS = 'metered:';
const METER_KINDS = new Set<Meter['kind']>(['weekly_opus_cost', 'window_requests', 'window_tokens', 'window_cost']);
const fromCrsStats = (k: Meter['kind']): k is Exclude<LimitUsage['kind'], 'daily_cost' | 'total_cost'> =>
  METER_KINDS.has(k);

/**
 * The cost limits of the tables first, then the weekly Opus and rate-window meters of the keys that have such a
 * limit, as the key pages show them. The meters' period is the one their reset ends: a mark per week, per window.
 */
export function meteredLimitUsage(
  deps: Pick<Deps, 'database' | 'config'>,
  meters: Pick<MetersService, 'limitUsageOf'>,
): LimitUsageSource {
  const costs = costUsageFromTables(deps);
  return {
    async atLeast(q) {
      if (!q.after?.startsWith(METERED_PASS)) {
        const page = await costs.atLeast(q);
        return { items: page.items, last: page.last ?? METERED_PASS };
      }
      const rows = await meteredKeysAfter(deps.database.db, q.after.slice(METERED_PASS.length) || null, q.pageSize);
      const meterOf = await meters.limitUsageOf(rows);
      const items = rows.flatMap((r) => (meterOf.get(r.id) ?? []).flatMap((m) => fromMeter(r, m, q.minRatio) ?? []));
      const last = rows.length === q.pageSize ? `${METERED_PASS}${rows[rows.length - 1].id}` : null;
      return { items, last };
    },
  };
}

function fromMeter(key: KeyRow, m: Meter, minRatio: number): LimitUsage | undefined {
  if (!fromCrsStats(m.kind) || m.used === null || m.limit === null || !m.resetsAt) return undefined;
  const money = m.kind === 'weekly_opus_cost' || m.kind === 'window_cost';
  const used = money ? toMicros(m.used) : m.used;
  const limit = money ? toMicros(m.limit) : m.limit;
  if (!(limit > 0) || used < limit * minRatio) return undefined;
  const end = new Date(m.resetsAt);
  return {
    keyId: key.id,
    userId: key.userId,
    keyName: key.name,
    kind: m.kind,
    used,
    limit,
    period: `until-${m.resetsAt}`,
    periodEnd: end,
    resetsAt: end,
    ...(m.kind === 'weekly_opus_cost' ? {} : { windowMinutes: key.limits.rateLimitWindow }),
  };
}
