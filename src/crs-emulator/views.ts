import type { Env } from './context.js';
import { deletedItemBase, type KeyRecord } from './key-record.js';
import { T_CC, T_CR, T_IN, T_OUT, T_REQ } from './key-usage.js';
import { DAY_MS } from './time.js';

const round2 = (x: number) => Math.round(x * 100) / 100;

/** `usage` of one key as GET /admin/usage-stats (and the deleted list) render it (docs/crs.md §5.1). */
export function usageView(env: Env, key: KeyRecord) {
  const store = env.store;
  const u = store.usage.keys.get(key.id);
  const now = env.now();
  const tz = store.tz;
  const t = u?.tot;
  const requests = t ? t[T_REQ] : 0;
  const input = t ? t[T_IN] : 0;
  const output = t ? t[T_OUT] : 0;
  const cc = t ? t[T_CC] : 0;
  const cr = t ? t[T_CR] : 0;
  const cost = u?.costTotal ?? 0;
  const today = tz.dayNum(now);
  const month = tz.monthNum(now);
  const daily = u ? store.usage.sum(u.daily, today, today) : undefined;
  const monthly = u ? store.usage.sum(u.monthly, month, month) : undefined;
  // CRS: lifetime / (whole days since creation, at least one), tokens = input + output.
  const days = Math.max(1, Math.ceil((now - new Date(key.createdAt).getTime()) / DAY_MS));
  const minutes = days * 24 * 60;
  return {
    total: {
      requests,
      tokens: input + output + cc + cr,
      inputTokens: input,
      outputTokens: output,
      cacheCreateTokens: cc,
      cacheReadTokens: cr,
      allTokens: input + output + cc + cr,
      cost,
    },
    daily: { requests: daily?.requests ?? 0, tokens: daily ? daily.input + daily.output : 0 },
    monthly: { requests: monthly?.requests ?? 0, tokens: monthly ? monthly.input + monthly.output : 0 },
    averages: { rpm: round2(requests / minutes), tpm: round2((input + output) / minutes) },
    totalCost: cost,
  };
}

/**
 * Today's cost, this week's opus cost and the rate window, each only when the matching limit is set (batch-stats,
 * docs/crs.md quirk 7) — or, with `always` (user-stats), today's and this week's cost whatever the limits.
 */
export function limitCounters(env: Env, key: KeyRecord | undefined, always = false) {
  const u = key ? env.store.usage.keys.get(key.id) : undefined;
  const now = env.now();
  const out = {
    dailyCost: 0,
    weeklyOpusCost: 0,
    currentWindowCost: 0,
    currentWindowRequests: 0,
    currentWindowTokens: 0,
    windowRemainingSeconds: null as number | null,
    windowStartTime: null as number | null,
    windowEndTime: null as number | null,
  };
  if (!key || !u) return out;
  if ((always || key.dailyCostLimit > 0) && u.costDay === env.store.tz.dayNum(now)) out.dailyCost = u.dayCost;
  if ((always || key.weeklyOpusCostLimit > 0) && u.opusWeek === env.store.usage.week(now, key)) {
    out.weeklyOpusCost = u.opusCost;
  }
  const w = u.window;
  if (key.rateLimitWindow > 0 && w) {
    const end = w.start + key.rateLimitWindow * 60_000;
    if (now < end) {
      out.currentWindowCost = w.cost;
      out.currentWindowRequests = w.requests;
      out.currentWindowTokens = w.tokens;
      out.windowStartTime = w.start;
      out.windowEndTime = end;
      out.windowRemainingSeconds = Math.max(0, Math.ceil((end - now) / 1000));
    }
  }
  return out;
}

/**
 * One GET /admin/usage-stats entry as JSON text: the same numbers as usageView, written without building
 * objects (100,000 keys per call).
 */
export function usageStatsEntryJson(env: Env, key: KeyRecord, today: number, month: number): string {
  const store = env.store;
  const u = store.usage.keys.get(key.id);
  const now = env.now();
  const t = u?.tot;
  const requests = t ? t[T_REQ] : 0;
  const input = t ? t[T_IN] : 0;
  const output = t ? t[T_OUT] : 0;
  const cc = t ? t[T_CC] : 0;
  const cr = t ? t[T_CR] : 0;
  const cost = u?.costTotal ?? 0;
  const daily = u ? store.usage.sum(u.daily, today, today) : undefined;
  const monthly = u ? store.usage.sum(u.monthly, month, month) : undefined;
  const days = Math.max(1, Math.ceil((now - Date.parse(key.createdAt)) / DAY_MS));
  const minutes = days * 24 * 60;
  const all = input + output + cc + cr;
  return (
    `{"keyId":${JSON.stringify(key.id)},"keyName":${JSON.stringify(key.name)},"usage":{"total":{"requests":${requests},` +
    `"tokens":${all},"inputTokens":${input},"outputTokens":${output},"cacheCreateTokens":${cc},"cacheReadTokens":${cr},` +
    `"allTokens":${all},"cost":${cost}},"daily":{"requests":${daily?.requests ?? 0},"tokens":${daily ? daily.input + daily.output : 0}},` +
    `"monthly":{"requests":${monthly?.requests ?? 0},"tokens":${monthly ? monthly.input + monthly.output : 0}},` +
    `"averages":{"rpm":${round2(requests / minutes)},"tpm":${round2((input + output) / minutes)}},"totalCost":${cost}}}`
  );
}

export function deletedItem(env: Env, key: KeyRecord): Record<string, unknown> {
  const usage = usageView(env, key);
  const counters = limitCounters(env, key);
  return {
    ...deletedItemBase(key),
    usage,
    totalCost: usage.totalCost,
    dailyCost: counters.dailyCost,
    weeklyOpusCost: counters.weeklyOpusCost,
    currentConcurrency: 0,
    currentWindowRequests: counters.currentWindowRequests,
    currentWindowTokens: counters.currentWindowTokens,
    currentWindowCost: counters.currentWindowCost,
    windowStartTime: counters.windowStartTime,
    windowEndTime: counters.windowEndTime,
    windowRemainingSeconds: counters.windowRemainingSeconds,
    // CRS masks the last four hex of the stored hash, not of the key.
    maskedKey: `cr_****${key.hash.slice(-4)}`,
    lastUsage: null,
    canRestore: true,
  };
}
