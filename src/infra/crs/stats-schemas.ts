import { z } from 'zod';
import { bool, num, numOrNull } from './loose.js';
import type { CrsDashboard, CrsKeyLimitFigures, CrsModelStat, CrsTrendDay, CrsUsageRecord } from './types.js';

/** Statistics shapes at the boundary (docs/crs.md §5). The two hot arrays of the sync are in hot-parse.ts. */

/** A sub-object CRS may omit: parsed as {} so its loose fields read as 0/false. */
const obj = <S extends z.ZodRawShape>(shape: S) => z.object(shape).prefault({} as z.input<z.ZodObject<S>>);

/** GET /admin/dashboard */
export const dashboardSchema = z
  .object({
    data: z.object({
      overview: z.object({
        totalApiKeys: num,
        activeApiKeys: num,
        totalRequestsUsed: num,
        totalTokensUsed: num,
        totalAllTokensUsed: num,
        totalInputTokensUsed: num,
        totalOutputTokensUsed: num,
        totalCacheCreateTokensUsed: num,
        totalCacheReadTokensUsed: num,
      }),
      recentActivity: obj({
        requestsToday: num,
        tokensToday: num,
        inputTokensToday: num,
        outputTokensToday: num,
        cacheCreateTokensToday: num,
        cacheReadTokensToday: num,
      }),
      systemAverages: obj({ rpm: num, tpm: num }),
      realtimeMetrics: obj({ rpm: num, tpm: num }),
      systemHealth: obj({ redisConnected: bool, uptime: num }),
      systemTimezone: num,
    }),
  })
  .transform(({ data: d }): CrsDashboard => {
    const o = d.overview;
    return {
      totalApiKeys: o.totalApiKeys,
      activeApiKeys: o.activeApiKeys,
      totalRequests: o.totalRequestsUsed,
      // Both are input+output+cache in CRS 1.1.314; older versions only had totalTokensUsed.
      totalTokens: o.totalAllTokensUsed || o.totalTokensUsed,
      totalInputTokens: o.totalInputTokensUsed,
      totalOutputTokens: o.totalOutputTokensUsed,
      totalCacheCreateTokens: o.totalCacheCreateTokensUsed,
      totalCacheReadTokens: o.totalCacheReadTokensUsed,
      requestsToday: d.recentActivity.requestsToday,
      tokensToday: d.recentActivity.tokensToday,
      inputTokensToday: d.recentActivity.inputTokensToday,
      outputTokensToday: d.recentActivity.outputTokensToday,
      cacheCreateTokensToday: d.recentActivity.cacheCreateTokensToday,
      cacheReadTokensToday: d.recentActivity.cacheReadTokensToday,
      rpm: d.systemAverages.rpm,
      tpm: d.systemAverages.tpm,
      realtimeRpm: d.realtimeMetrics.rpm,
      realtimeTpm: d.realtimeMetrics.tpm,
      redisConnected: d.systemHealth.redisConnected,
      uptimeSeconds: d.systemHealth.uptime,
      timezoneOffset: d.systemTimezone,
    };
  });

/** GET /admin/usage-trend?granularity=day */
export const usageTrendSchema = z
  .object({
    data: z.array(
      z.object({
        date: z.string(),
        requests: num,
        inputTokens: num,
        outputTokens: num,
        cacheCreateTokens: num,
        cacheReadTokens: num,
        totalTokens: num,
        cost: num,
      }),
    ),
  })
  .transform(({ data }): CrsTrendDay[] => data.map(({ totalTokens, ...d }) => ({ ...d, tokens: totalTokens })));

/** GET /admin/api-keys/:id/model-stats */
export const modelStatsSchema = z
  .object({
    data: z.array(
      z.object({
        model: z.string(),
        requests: num,
        inputTokens: num,
        outputTokens: num,
        cacheCreateTokens: num,
        cacheReadTokens: num,
        allTokens: num,
        costs: obj({ total: num }),
      }),
    ),
  })
  .transform(({ data }): CrsModelStat[] =>
    data.map(({ allTokens, costs, ...m }) => ({ ...m, tokens: allTokens, cost: costs.total })),
  );

/** GET /admin/api-keys/:id/usage-records */
export const usageRecordsSchema = z
  .object({
    data: z.object({
      records: z.array(
        z.object({
          timestamp: z.string(),
          model: z.string(),
          inputTokens: num,
          outputTokens: num,
          cacheCreateTokens: num,
          cacheReadTokens: num,
          totalTokens: num,
          cost: num,
          // The route exposes the stored durationMs as responseTime (null in 1.1.314 captures).
          responseTime: numOrNull,
          durationMs: numOrNull,
          statusCode: numOrNull,
        }),
      ),
    }),
  })
  .transform(({ data }): CrsUsageRecord[] =>
    data.records.map(({ totalTokens, responseTime, durationMs, ...r }) => ({
      ...r,
      tokens: totalTokens,
      durationMs: responseTime ?? durationMs,
    })),
  );

/** A window bound: epoch ms (CRS) or an ISO string, null when no window is open. */
const instant = z
  .union([z.number(), z.string(), z.null()])
  .optional()
  .transform((v): string | null => {
    if (v === null || v === undefined || v === '') return null;
    const t = typeof v === 'number' ? v : /^\d+$/.test(v) ? Number(v) : Date.parse(v);
    return Number.isFinite(t) ? new Date(t).toISOString() : null;
  });

/** POST /apiStats/api/user-stats: only `data.limits` is read (docs/crs.md §6). */
export const userStatsSchema = z
  .object({
    data: z.object({
      limits: z.object({
        currentWindowRequests: num,
        currentWindowTokens: num,
        currentWindowCost: num,
        windowStartTime: instant,
        windowEndTime: instant,
        weeklyOpusCost: num,
        weeklyResetDay: num,
        weeklyResetHour: num,
        currentDailyCost: num,
        currentTotalCost: num,
      }),
    }),
  })
  .transform(
    ({ data: { limits: l } }): CrsKeyLimitFigures => ({
      windowStart: l.windowEndTime ? l.windowStartTime : null,
      windowEnd: l.windowStartTime ? l.windowEndTime : null,
      windowRequests: l.currentWindowRequests,
      windowTokens: l.currentWindowTokens,
      windowCost: l.currentWindowCost,
      weeklyOpusCost: l.weeklyOpusCost,
      // CRS's defaults when a key never set them: Monday, midnight.
      weeklyResetDay: l.weeklyResetDay >= 1 && l.weeklyResetDay <= 7 ? l.weeklyResetDay : 1,
      weeklyResetHour: l.weeklyResetHour >= 0 && l.weeklyResetHour <= 23 ? l.weeklyResetHour : 0,
      dailyCost: l.currentDailyCost,
      totalCost: l.currentTotalCost,
    }),
  );
