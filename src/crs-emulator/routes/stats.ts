import { type Counts, zeroCounts } from '../buckets.js';
import { type Env, fail, objectBody, ok, type Reply, type Req, type Route } from '../context.js';
import type { KeyRecord } from '../key-record.js';
import { formatCost } from '../pricing.js';
import { parseDay } from '../time.js';
import { turnTaker } from '../turns.js';
import { limitCounters, usageStatsEntryJson } from '../views.js';
import { keysTrend } from './trend.js';

/** Per-key statistics for all keys at once (docs/crs.md §5.3, §5.1, §5.2). */
export const statsRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/admin/usage-stats',
    auth: true,
    handler: async (env, req) => {
      const now = env.now();
      const today = env.store.tz.dayNum(now);
      const month = env.store.tz.monthNum(now);
      const stats: string[] = [];
      const turn = turnTaker();
      for (const key of env.store.keys.keys.values()) {
        await turn();
        if (!key.isDeleted) stats.push(usageStatsEntryJson(env, key, today, month));
      }
      const period = JSON.stringify(req.query.get('period') || 'daily');
      return {
        status: 200,
        body: null,
        raw: `{"success":true,"data":{"period":${period},"stats":[${stats.join(',')}]}}`,
      };
    },
  },
  { method: 'GET', pattern: '/admin/api-keys-usage-trend', auth: true, handler: keysTrend },
  { method: 'POST', pattern: '/admin/api-keys/batch-stats', auth: true, handler: batchStats },
];

function batchStats(env: Env, req: Req): Reply {
  const { keyIds, timeRange = 'all', startDate, endDate } = objectBody(req);
  if (!Array.isArray(keyIds) || keyIds.length === 0) {
    return fail(400, { success: false, error: 'keyIds is required and must be a non-empty array' });
  }
  if (keyIds.length > 100) return fail(400, { success: false, error: 'Max 100 keys per request' });
  const tz = env.store.tz;
  const now = env.now();
  let from = 0;
  let to = 0;
  if (timeRange === 'custom') {
    if (!startDate || !endDate) {
      return fail(400, { success: false, error: 'startDate and endDate are required for custom time range' });
    }
    const s = dayOf(env, startDate);
    const e = dayOf(env, endDate);
    if (s === null || e === null) return fail(400, { success: false, error: 'Invalid date format' });
    if (s > e) return fail(400, { success: false, error: 'startDate must be before or equal to endDate' });
    if (e - s + 1 > 365) return fail(400, { success: false, error: 'Date range cannot exceed 365 days' });
    from = s;
    to = e;
  } else if (timeRange === 'today') {
    from = to = tz.dayNum(now);
  } else if (timeRange === '7days') {
    // CRS quirk (docs/crs.md, quirk 7): the timezone shift is applied twice, so from 16:00 CRS-local on the window
    // is [tomorrow-6 … tomorrow].
    to = tz.dayNum(now + tz.offMs);
    from = to - 6;
  }
  const data: Record<string, unknown> = {};
  for (const raw of keyIds) {
    const id = String(raw);
    const key = env.store.keys.get(id);
    data[id] = key ? keyRangeStats(env, key, String(timeRange), from, to) : unknownKeyStats();
  }
  const ranged = timeRange === 'custom' || timeRange === '7days';
  return ok(
    { success: true, data },
    { count: Object.keys(data).length, variant: ranged ? 'range' : undefined, days: ranged ? to - from + 1 : 1 },
  );
}

function dayOf(env: Env, v: unknown): number | null {
  const d = parseDay(v);
  if (d !== null) return d;
  const t = typeof v === 'string' ? new Date(v).getTime() : Number.NaN;
  return Number.isNaN(t) ? null : env.store.tz.dayNum(t);
}

function keyRangeStats(env: Env, key: KeyRecord, range: string, from: number, to: number) {
  const usage = env.store.usage;
  const u = usage.keys.get(key.id);
  let c: Counts = zeroCounts();
  if (u) {
    if (range === 'all') c = usage.sum(u.alltime, 0, 0);
    // 'monthly' always answers zeros in CRS (its dedup drops the current month's buckets, docs/crs.md, quirk 7).
    else if (range !== 'monthly') c = usage.sum(u.daily, from, to);
  }
  const cost = c.micro / 1e6;
  const counters = limitCounters(env, key);
  return {
    requests: c.requests,
    tokens: c.input + c.output + c.cacheCreate + c.cacheRead,
    inputTokens: c.input,
    outputTokens: c.output,
    cacheCreateTokens: c.cacheCreate,
    cacheReadTokens: c.cacheRead,
    cost,
    realCost: cost,
    formattedCost: formatCost(cost),
    dailyCost: counters.dailyCost,
    weeklyOpusCost: counters.weeklyOpusCost,
    currentWindowCost: counters.currentWindowCost,
    currentWindowRequests: counters.currentWindowRequests,
    currentWindowTokens: counters.currentWindowTokens,
    windowRemainingSeconds: counters.windowRemainingSeconds,
    windowStartTime: counters.windowStartTime,
    windowEndTime: counters.windowEndTime,
    allTimeCost: u?.costTotal ?? 0,
  };
}

function unknownKeyStats() {
  return {
    requests: 0,
    tokens: 0,
    inputTokens: 0,
    outputTokens: 0,
    cacheCreateTokens: 0,
    cacheReadTokens: 0,
    cost: 0,
    realCost: 0,
    formattedCost: '$0.00',
    dailyCost: 0,
    weeklyOpusCost: 0,
    currentWindowCost: 0,
    currentWindowRequests: 0,
    currentWindowTokens: 0,
    windowRemainingSeconds: null,
    windowStartTime: null,
    windowEndTime: null,
    allTimeCost: 0,
  };
}
