import { R_CC, R_CR, R_IN, R_OUT, R_REQ } from '../buckets.js';
import { type Env, ok, type Reply, type Req, type Route } from '../context.js';
import { T_CC, T_CR, T_IN, T_OUT, T_REQ } from '../key-usage.js';
import { costOf, formatCost } from '../pricing.js';
import { DAY_MS, dayString, iso } from '../time.js';
import { trendRange } from './trend-range.js';

const round2 = (x: number) => Math.round(x * 100) / 100;
const PLATFORMS = ['claude', 'claude-console', 'gemini', 'bedrock', 'openai', 'ccr', 'openai-responses', 'droid'];
const startedReal = Date.now();

/** Global views: dashboard, usage-trend (docs/crs.md §5.6, §5.7), health. */
export const globalRoutes: Route[] = [
  { method: 'GET', pattern: '/admin/dashboard', auth: true, handler: dashboard },
  { method: 'GET', pattern: '/admin/usage-trend', auth: true, handler: usageTrend },
  {
    method: 'GET',
    pattern: '/health',
    auth: false,
    handler: () => {
      const mem = process.memoryUsage();
      const mb = (n: number) => `${Math.round(n / 1048576)}MB`;
      const now = new Date().toISOString();
      return ok({
        status: 'healthy',
        service: 'claude-relay-service',
        version: '1.1.314',
        timestamp: now,
        uptime: process.uptime(),
        memory: { used: mb(mem.heapUsed), total: mb(mem.heapTotal), external: mb(mem.external) },
        components: {
          redis: { status: 'healthy', connected: true, latency: '0ms' },
          logger: { status: 'healthy', healthy: true, timestamp: now },
        },
        stats: { requests: 0, errors: 0, warnings: 0 },
      });
    },
  },
];

/** Sums the global per-model rows of one period: [requests, in, out, cc, cr, recomputed cost]. */
function globalPeriod(env: Env, table: 'daily' | 'hourly', period: number): number[] {
  const usage = env.store.usage;
  const out = [0, 0, 0, 0, 0, 0];
  for (const row of usage.global[table].rowsOf(period, env.now())) {
    out[0] += row[R_REQ];
    out[1] += row[R_IN];
    out[2] += row[R_OUT];
    out[3] += row[R_CC];
    out[4] += row[R_CR];
    // Global trends recompute list price from tokens (docs/crs.md, quirk 12), unlike per-key stored cost.
    out[5] += costOf(usage.models[row[1]], row[R_IN], row[R_OUT], row[R_CC], row[R_CR]);
  }
  return out;
}

function dashboard(env: Env): Reply {
  const store = env.store;
  const now = env.now();
  const g = store.usage.global.total;
  let nonDeleted = 0;
  let all = 0;
  let active = 0;
  let createdToday = 0;
  let oldest = Number.POSITIVE_INFINITY;
  const todayStr = store.tz.dateString(now);
  for (const k of store.keys.keys.values()) {
    all++;
    if (!k.isDeleted) nonDeleted++;
    if (k.isActive && !k.isDeleted) active++;
    // CRS compares the UTC createdAt date with the CRS-local date (docs/crs.md, quirk 8).
    if (!k.isDeleted && k.createdAt.slice(0, 10) === todayStr) createdToday++;
    oldest = Math.min(oldest, new Date(k.createdAt).getTime());
  }
  const requests = g[T_REQ];
  const allTokens = g[T_IN] + g[T_OUT] + g[T_CC] + g[T_CR];
  const today = globalPeriod(env, 'daily', store.tz.dayNum(now));
  const minutes = Number.isFinite(oldest) ? Math.max(1, Math.ceil((now - oldest) / DAY_MS)) * 1440 : 0;
  const nowMinute = Math.floor(now / 60_000);
  let rtReq = 0;
  let rtTok = 0;
  for (let i = 0; i < 5; i++) {
    const m = store.usage.global.minutes.get(nowMinute - i);
    if (m) {
      rtReq += m[0];
      rtTok += m[1];
    }
  }
  const platform = () => ({ total: 0, normal: 0, abnormal: 0, paused: 0, rateLimited: 0 });
  return ok(
    {
      success: true,
      data: {
        overview: {
          // Soft-deleted keys count once any usage exists; before that a fallback counts live keys only.
          totalApiKeys: requests > 0 ? all : nonDeleted,
          activeApiKeys: active,
          totalAccounts: 0,
          normalAccounts: 0,
          abnormalAccounts: 0,
          pausedAccounts: 0,
          rateLimitedAccounts: 0,
          accountsByPlatform: Object.fromEntries(PLATFORMS.map((p) => [p, platform()])),
          activeAccounts: 0,
          totalClaudeAccounts: 0,
          activeClaudeAccounts: 0,
          rateLimitedClaudeAccounts: 0,
          totalGeminiAccounts: 0,
          activeGeminiAccounts: 0,
          rateLimitedGeminiAccounts: 0,
          totalTokensUsed: allTokens,
          totalRequestsUsed: requests,
          totalInputTokensUsed: g[T_IN],
          totalOutputTokensUsed: g[T_OUT],
          totalCacheCreateTokensUsed: g[T_CC],
          totalCacheReadTokensUsed: g[T_CR],
          totalAllTokensUsed: allTokens,
        },
        recentActivity: {
          apiKeysCreatedToday: createdToday,
          requestsToday: today[0],
          tokensToday: today[1] + today[2],
          inputTokensToday: today[1],
          outputTokensToday: today[2],
          cacheCreateTokensToday: today[3],
          cacheReadTokensToday: today[4],
        },
        systemAverages: {
          rpm: minutes ? round2(requests / minutes) : 0,
          tpm: minutes ? round2((g[T_IN] + g[T_OUT]) / minutes) : 0,
        },
        realtimeMetrics: { rpm: round2(rtReq / 5), tpm: round2(rtTok / 5), windowMinutes: 5, isHistorical: false },
        systemHealth: {
          redisConnected: true,
          claudeAccountsHealthy: false,
          geminiAccountsHealthy: false,
          droidAccountsHealthy: false,
          uptime: (Date.now() - startedReal) / 1000,
        },
        systemTimezone: store.tz.offsetHours,
      },
    },
    {},
  );
}

function usageTrend(env: Env, req: Req): Reply {
  const tz = env.store.tz;
  const range = trendRange(req.query, tz, env.now());
  if ('status' in range) return range;
  const data: unknown[] = [];
  for (let p = range.from; p <= range.to; p++) {
    const [requests, input, output, cc, cr, cost] = globalPeriod(
      env,
      range.granularity === 'day' ? 'daily' : 'hourly',
      p,
    );
    const counts = {
      inputTokens: input,
      outputTokens: output,
      requests,
      cacheCreateTokens: cc,
      cacheReadTokens: cr,
      totalTokens: input + output + cc + cr,
      cost,
    };
    data.push(
      range.granularity === 'day'
        ? { date: dayString(p), ...counts, formattedCost: formatCost(cost) }
        : { hour: iso(tz.hourStartUtc(p)), label: tz.hourLabel(p), ...counts },
    );
  }
  const days = range.to - range.from + 1;
  return ok(
    { success: true, data, granularity: range.granularity },
    { variant: range.granularity === 'hour' ? 'hour' : undefined, days },
  );
}
