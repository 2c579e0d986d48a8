import type { Deps } from '../../deps.js';
import type { CacheEntry } from '../../infra/cache/types.js';
import { dailyRows, type SummaryKeyRow, summaryKeys } from '../../infra/db/repos/usage.js';
import { fromMicros } from '../money.js';
import { closeBody, openBody } from './body.js';
import type { FreshnessSource } from './freshness.js';
import { addDays, crsDay, timezoneLabel } from './range.js';

/** One limit of a key and how much of it is used (issue 13's `limitUsage`). */
export interface LimitUsage {
  kind: string;
  used: number;
  limit: number;
  resetsAt: string | null;
}

/**
 * Where the per-key limit usage comes from. The full source (daily, total, weekly Opus and window figures) is
 * issue 13's limit meters; `minimalLimitUsage` below stands in until it is wired.
 */
export interface LimitUsageSource {
  /** Each key's limits and their usage, for the keys given (the user's, not deleted). */
  limitUsageOf(userId: string, keys: SummaryKeyRow[]): Promise<Map<string, LimitUsage[]>>;
}

/**
 * MINIMAL STAND-IN — to be replaced at merge by issue 13's limit-usage function (`limitUsageOf`).
 * Only what the portal's tables hold: today's cost against `dailyCostLimit` (resets at CRS's midnight) and the
 * lifetime cost against `totalCostLimit` (never resets). No weekly Opus or rate-window figures: those need CRS's
 * per-key stats, which the issue-13 sync step reads.
 */
export function minimalLimitUsage(deps: Pick<Deps, 'database' | 'clock' | 'config'>): LimitUsageSource {
  return {
    async limitUsageOf(userId, keys) {
      const offset = deps.config.crs.timezoneOffset;
      const today = crsDay(deps.clock(), offset);
      const rows = await dailyRows(deps.database.db, userId, { from: today, to: today });
      const todayCost = new Map(rows.map((r) => [r.apiKeyId, r.costMicros]));
      // CRS's next midnight as an instant: the next CRS day at 00:00, shifted back by the offset.
      const resetsAt = new Date(Date.parse(`${addDays(today, 1)}T00:00:00Z`) - offset * 3_600_000).toISOString();
      return new Map(
        keys.map((k) => {
          const usage: LimitUsage[] = [];
          if (k.limits.dailyCostLimit > 0) {
            const used = fromMicros(todayCost.get(k.id) ?? 0);
            usage.push({ kind: 'dailyCost', used, limit: k.limits.dailyCostLimit, resetsAt });
          }
          if (k.limits.totalCostLimit > 0) {
            const used = fromMicros(k.totalCostMicros);
            usage.push({ kind: 'totalCost', used, limit: k.limits.totalCostLimit, resetsAt: null });
          }
          return [k.id, usage];
        }),
      );
    },
  };
}

/**
 * `GET /api/me/summary`: today's and this month's spend (CRS days) and each key's limit usage, for status bars
 * polling with a personal access token. Cached like the other hot reads (decision 003 and 008): a warm read is a
 * memory hit closed with the freshness, synchronously.
 */
export function createMeSummary(deps: Deps, freshness: FreshnessSource, limits: LimitUsageSource) {
  const { db } = deps.database;

  async function load(userId: string): Promise<string> {
    const offset = deps.config.crs.timezoneOffset;
    const today = crsDay(deps.clock(), offset);
    const monthStart = `${today.slice(0, 8)}01`;
    const [rows, keys] = await Promise.all([
      dailyRows(db, userId, { from: monthStart, to: today }),
      summaryKeys(db, userId),
    ]);
    const sum = (pick: (day: string) => boolean) => {
      let requests = 0;
      let tokens = 0;
      let micros = 0;
      for (const r of rows) {
        if (!pick(r.day)) continue;
        requests += r.requests;
        tokens += r.tokens;
        micros += r.costMicros;
      }
      return { requests, tokens, cost: fromMicros(micros) };
    };
    const usage = await limits.limitUsageOf(userId, keys);
    return openBody({
      timezone: timezoneLabel(offset),
      today: sum((d) => d === today),
      month: sum(() => true),
      keys: keys.map((k) => ({ id: k.id, name: k.name, status: k.status, limitUsage: usage.get(k.id) ?? [] })),
    });
  }

  const fromMemory = (entry: CacheEntry<string>): string | undefined => {
    const f = freshness.current();
    if (!f) return undefined;
    const hit = entry.peek();
    return hit && closeBody(hit.value, f, hit.stale);
  };

  return {
    summaryJson(userId: string): string | Promise<string> {
      const entry = deps.cache.entries.meSummary(userId);
      return (
        fromMemory(entry) ??
        entry.getOrLoad(() => load(userId)).then(async (c) => closeBody(c.value, await freshness.get(), c.stale))
      );
    },
  };
}

export type MeSummaryService = ReturnType<typeof createMeSummary>;
