import type { Counts } from '../buckets.js';
import { type Env, fail, ok, type Reply, type Req, type Route } from '../context.js';
import { costBreakdown, costOf, formatCost } from '../pricing.js';
import { ACCOUNT_ID, recordTokens, type UsageEvent } from '../records.js';
import { iso, parseDay } from '../time.js';

/** Per-key model breakdown and request log (docs/crs.md §5.4, §5.5). */
export const keyStatsRoutes: Route[] = [
  { method: 'GET', pattern: '/admin/api-keys/:id/model-stats', auth: true, handler: modelStats },
  { method: 'GET', pattern: '/admin/api-keys/:id/usage-records', auth: true, handler: usageRecords },
];

function modelStats(env: Env, req: Req): Reply {
  const usage = env.store.usage;
  const tz = env.store.tz;
  const now = env.now();
  const period = req.query.get('period') || 'monthly';
  const u = env.store.keys.get(req.params.id) ? usage.keys.get(req.params.id) : undefined;
  let rows = new Map<string, Counts>();
  let days = 1;
  if (period === 'custom') {
    const s = parseDay(req.query.get('startDate'));
    const e = parseDay(req.query.get('endDate'));
    if (s === null || e === null || s > e) return fail(400, { error: 'Invalid date range' });
    days = e - s + 1;
    if (u) rows = usage.byModel(u.daily, s, e);
  } else if (period === 'daily') {
    const today = tz.dayNum(now);
    if (u) rows = usage.byModel(u.daily, today, today);
  } else if (u) {
    const month = tz.monthNum(now);
    rows = usage.byModel(u.monthly, month, month);
  }
  const data = [...rows.entries()]
    .map(([model, c]) => {
      const total = c.micro / 1e6;
      return {
        model,
        requests: c.requests,
        inputTokens: c.input,
        outputTokens: c.output,
        cacheCreateTokens: c.cacheCreate,
        cacheReadTokens: c.cacheRead,
        allTokens: c.input + c.output + c.cacheCreate + c.cacheRead,
        costs: { total, real: total },
        formatted: { total: formatCost(total) },
        pricing: null,
        usingDynamicPricing: false,
      };
    })
    .sort((a, b) => b.allTokens - a.allTokens);
  const variant = data.length === 0 ? 'empty' : period === 'custom' ? 'custom' : undefined;
  return ok({ success: true, data }, { variant, days });
}

function usageRecords(env: Env, req: Req): Reply {
  const key = env.store.keys.get(req.params.id);
  if (!key) return fail(404, { success: false, error: 'API key not found' });
  const q = req.query;
  const start = q.get('startDate');
  const end = q.get('endDate');
  const startMs = start ? new Date(start).getTime() : null;
  const endMs = end ? new Date(end).getTime() : null;
  if (Number.isNaN(startMs) || Number.isNaN(endMs) || (startMs !== null && endMs !== null && startMs > endMs)) {
    return fail(400, { success: false, error: 'Invalid date range' });
  }
  const page = Math.max(1, Number.parseInt(q.get('page') ?? '1', 10) || 1);
  const pageSize = Math.min(200, Math.max(1, Number.parseInt(q.get('pageSize') ?? '50', 10) || 50));
  const model = q.get('model');
  const accountId = q.get('accountId');
  const sortOrder = q.get('sortOrder') === 'asc' ? 'asc' : 'desc';
  const all = env.store.usage.keys.get(key.id)?.records.latest(env.store.tz, env.now()) ?? [];
  const filtered = all.filter(
    (e) =>
      (startMs === null || e.ts >= startMs) &&
      (endMs === null || e.ts <= endMs) &&
      (!model || e.model === model) &&
      (!accountId || accountId === ACCOUNT_ID),
  );
  filtered.sort((a, b) => (sortOrder === 'asc' ? a.ts - b.ts : b.ts - a.ts));
  const totalPages = Math.ceil(filtered.length / pageSize);
  const summary = {
    totalRequests: filtered.length,
    inputTokens: 0,
    outputTokens: 0,
    cacheCreateTokens: 0,
    cacheReadTokens: 0,
    totalTokens: 0,
    totalCost: 0,
    avgCost: 0,
  };
  let micro = 0;
  for (const e of filtered) {
    summary.inputTokens += e.inputTokens;
    summary.outputTokens += e.outputTokens;
    summary.cacheCreateTokens += e.cacheCreateTokens;
    summary.cacheReadTokens += e.cacheReadTokens;
    micro += Math.round(costOf(e.model, e.inputTokens, e.outputTokens, e.cacheCreateTokens, e.cacheReadTokens) * 1e6);
  }
  summary.totalTokens =
    summary.inputTokens + summary.outputTokens + summary.cacheCreateTokens + summary.cacheReadTokens;
  summary.totalCost = micro / 1e6;
  summary.avgCost = filtered.length ? Math.round(micro / filtered.length) / 1e6 : 0;
  const times = all.map((e) => e.ts);
  return ok({
    success: true,
    data: {
      records: filtered.slice((page - 1) * pageSize, page * pageSize).map(renderRecord),
      pagination: {
        currentPage: page,
        pageSize,
        totalRecords: filtered.length,
        totalPages,
        hasNextPage: page < totalPages,
        hasPreviousPage: page > 1,
      },
      filters: { startDate: start, endDate: end, model, accountId, sortOrder },
      apiKeyInfo: { id: key.id, name: key.name },
      summary,
      availableFilters: {
        models: [...new Set(all.map((e) => e.model))],
        accounts: all.length
          ? [
              {
                id: ACCOUNT_ID,
                name: ACCOUNT_ID,
                accountType: 'claude-official',
                accountTypeName: 'Claude官方',
                rawTypes: ['claude-official'],
              },
            ]
          : [],
        dateRange: {
          earliest: times.length ? iso(Math.min(...times)) : null,
          latest: times.length ? iso(Math.max(...times)) : null,
        },
      },
    },
  });
}

function renderRecord(e: UsageEvent) {
  const breakdown = costBreakdown(e.model, e.inputTokens, e.outputTokens, e.cacheCreateTokens, e.cacheReadTokens);
  const cost = Math.round(breakdown.total * 1e6) / 1e6;
  return {
    timestamp: iso(e.ts),
    model: e.model,
    accountId: ACCOUNT_ID,
    accountName: null,
    accountStatus: null,
    accountType: 'claude-official',
    accountTypeName: 'Claude官方',
    ...recordTokens(e),
    isLongContextRequest: false,
    cost,
    costFormatted: formatCost(cost),
    realCost: cost,
    realCostFormatted: formatCost(cost),
    costBreakdown: breakdown,
    responseTime: null,
  };
}
