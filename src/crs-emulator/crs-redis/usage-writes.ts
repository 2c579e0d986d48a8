import type { Counts } from '../buckets.js';
import { costBreakdown } from '../pricing.js';
import { ACCOUNT_ID, recordTokens, type UsageEvent } from '../records.js';
import { dayString, iso, MINUTE_MS, monthString, pad, type Tz } from '../time.js';
import type { UsageSink } from '../usage-sink.js';
import { DAY, type QueuedWrites, SECOND } from './writer.js';

/** TTLs of docs/crs.md §9.2 (null: none). */
export const TTL = {
  hourly: 7 * DAY,
  daily: 32 * DAY,
  monthly: 365 * DAY,
  costDaily: 30 * DAY,
  costMonthly: 90 * DAY,
  opusWeekly: 14 * DAY,
  records: 90 * DAY,
  minute: 600 * SECOND,
} as const;

type Fields = Array<readonly [string, number]>;

/**
 * One write's counters under CRS's field names. The emulator's cache writes are all 5-minute ones (as in the
 * captures); `tokens` is input + output only, `allTokens` all four kinds (docs/crs.md §7.3).
 */
function counters(c: Counts) {
  return {
    tokens: c.input + c.output,
    inputTokens: c.input,
    outputTokens: c.output,
    cacheCreateTokens: c.cacheCreate,
    cacheReadTokens: c.cacheRead,
    allTokens: c.input + c.output + c.cacheCreate + c.cacheRead,
    requests: c.requests,
    ephemeral5mTokens: c.cacheCreate,
    ephemeral1hTokens: 0,
  };
}
type Counter = keyof ReturnType<typeof counters>;

/** Each family's fields, in the order CRS increments them: [field in Redis, counter]. */
const same = (...names: Counter[]) => names.map((n) => [n, n] as const);
const SPLIT = ['inputTokens', 'outputTokens', 'cacheCreateTokens', 'cacheReadTokens'] as const;
const EPHEMERAL = ['ephemeral5mTokens', 'ephemeral1hTokens'] as const;
const FAMILY = {
  /** `usage:daily|monthly|hourly:<id>:…` */
  keyBucket: same('tokens', ...SPLIT, 'allTokens', 'requests', ...EPHEMERAL),
  /** `usage:model:…`, `usage:<id>:model:…` (these with the cost micros) */
  modelBucket: same(...SPLIT, 'allTokens', 'requests', ...EPHEMERAL),
  /** `usage:<id>:model:alltime:…`: no allTokens */
  alltime: same(...SPLIT, 'requests', ...EPHEMERAL),
  /** `usage:global:*` */
  global: same('requests', ...SPLIT, 'allTokens', ...EPHEMERAL),
  /** `usage:<id>` (lifetime) */
  lifetime: [
    ['totalTokens', 'tokens'],
    ['totalInputTokens', 'inputTokens'],
    ['totalOutputTokens', 'outputTokens'],
    ['totalCacheCreateTokens', 'cacheCreateTokens'],
    ['totalCacheReadTokens', 'cacheReadTokens'],
    ['totalAllTokens', 'allTokens'],
    ['totalEphemeral5mTokens', 'ephemeral5mTokens'],
    ['totalEphemeral1hTokens', 'ephemeral1hTokens'],
    ['totalRequests', 'requests'],
  ],
  /** `system:metrics:minute:<minute>` */
  minute: [['requests', 'requests'], ['totalTokens', 'allTokens'], ...same(...SPLIT)],
} satisfies Record<string, ReadonlyArray<readonly [string, Counter]>>;

export function fields(family: keyof typeof FAMILY, c: Counts, micros = false): Fields {
  const v = counters(c);
  const f: Fields = FAMILY[family].map(([name, counter]) => [name, v[counter]] as const);
  // Only when the cost is above zero, as CRS does (no service rates here: rated = real).
  if (micros && c.micro > 0) f.push(['realCostMicro', c.micro], ['ratedCostMicro', c.micro]);
  return f;
}

/**
 * The usage side of CRS's Redis layout (docs/crs.md §9.2; what `incrementTokenUsage`, `incrementDailyCost`,
 * `incrementWeeklyOpusCost` and `addUsageRecord` write), for events of any time: days, months and hours in
 * CRS's timezone, TTLs counted from the event.
 */
export function usageWrites(w: QueuedWrites, tz: Tz): UsageSink {
  const date = (ts: number) => tz.dateString(ts);
  const month = (ts: number) => monthString(tz.monthNum(ts));
  const hour = (ts: number) => hourString(tz.hourNum(ts));

  return {
    buckets(id, model, ts, c, cost) {
      const d = date(ts);
      const m = month(ts);
      w.counters(`usage:${id}`, fields('lifetime', c), null, ts);
      w.counters(`usage:daily:${id}:${d}`, fields('keyBucket', c), TTL.daily, ts);
      w.counters(`usage:monthly:${id}:${m}`, fields('keyBucket', c), TTL.monthly, ts);
      w.counters(`usage:model:daily:${model}:${d}`, fields('modelBucket', c), TTL.daily, ts);
      w.counters(`usage:model:monthly:${model}:${m}`, fields('modelBucket', c), TTL.monthly, ts);
      w.counters(`usage:${id}:model:daily:${model}:${d}`, fields('modelBucket', c, true), TTL.daily, ts);
      w.counters(`usage:${id}:model:monthly:${model}:${m}`, fields('modelBucket', c, true), TTL.monthly, ts);
      w.counters(`usage:${id}:model:alltime:${model}`, fields('alltime', c, true), null, ts);
      w.index(`usage:daily:index:${d}`, id, TTL.daily, ts);
      w.index(`usage:model:daily:index:${d}`, model, TTL.daily, ts);
      w.index(`usage:model:monthly:index:${m}`, model, TTL.monthly, ts);
      w.index('usage:model:monthly:months', m, null, ts, false);
      w.index(`usage:keymodel:daily:index:${d}`, `${id}:${model}`, TTL.daily, ts);
      w.counters('usage:global:total', fields('global', c), null, ts);
      w.counters(`usage:global:daily:${d}`, fields('global', c), TTL.daily, ts);
      w.counters(`usage:global:monthly:${m}`, fields('global', c), TTL.monthly, ts);
      if (cost > 0) {
        w.float(`usage:cost:daily:${id}:${d}`, cost, TTL.costDaily, ts);
        w.float(`usage:cost:monthly:${id}:${m}`, cost, TTL.costMonthly, ts);
        w.float(`usage:cost:total:${id}`, cost, null, ts);
        w.float(`usage:cost:real:total:${id}`, cost, null, ts);
        w.float(`usage:cost:real:daily:${id}:${d}`, cost, TTL.costDaily, ts);
      }
    },

    hour(id, model, ts, c, cost) {
      const h = hour(ts);
      w.counters(`usage:hourly:${id}:${h}`, fields('keyBucket', c), TTL.hourly, ts);
      w.counters(`usage:model:hourly:${model}:${h}`, fields('modelBucket', c), TTL.hourly, ts);
      w.counters(`usage:${id}:model:hourly:${model}:${h}`, fields('modelBucket', c, true), TTL.hourly, ts);
      w.index(`usage:hourly:index:${h}`, id, TTL.hourly, ts);
      w.index(`usage:model:hourly:index:${h}`, model, TTL.hourly, ts);
      w.index(`usage:keymodel:hourly:index:${h}`, `${id}:${model}`, TTL.hourly, ts);
      w.counters(`system:metrics:minute:${Math.floor(ts / MINUTE_MS)}`, fields('minute', c), TTL.minute, ts);
      if (cost > 0) w.float(`usage:cost:hourly:${id}:${h}`, cost, TTL.hourly, ts);
    },

    opus(id, weekStartLocal, ts, cost) {
      // The period is named by its start, CRS-local, to the hour: YYYY-MM-DDTHH.
      const period = iso(weekStartLocal).slice(0, 13);
      w.float(`usage:opus:weekly:${id}:${period}`, cost, TTL.opusWeekly, ts);
      w.float(`usage:opus:total:${id}`, cost, null, ts);
      w.float(`usage:opus:real:weekly:${id}:${period}`, cost, TTL.opusWeekly, ts);
      w.float(`usage:opus:real:total:${id}`, cost, null, ts);
    },

    record(id, e) {
      if (!w.alive(TTL.records, e.ts)) return;
      const key = `usage:records:${id}`;
      const p = w.p;
      p.lpush(key, recordJson(e));
      p.ltrim(key, 0, 199);
      w.expire(p, key, TTL.records, e.ts);
    },

    records(id, newestFirst, lastPush) {
      const key = `usage:records:${id}`;
      const p = w.p;
      p.del(key);
      if (newestFirst.length === 0 || !w.alive(TTL.records, lastPush)) return;
      // Oldest first: LPUSH leaves the newest at the head, as CRS's list has it.
      p.lpush(key, ...newestFirst.map(recordJson).reverse());
      w.expire(p, key, TTL.records, lastPush);
    },

    drop(id) {
      // CRS's permanent delete SCAN-deletes the key's usage; global and per-model counters keep it.
      w.after(async () => {
        const names: string[] = [`usage:${id}`];
        const stream = w.redis.scanStream({ match: `usage:*${id}*`, count: 1000 });
        for await (const batch of stream) names.push(...(batch as string[]));
        if (names.length) await w.redis.del(...names);
      });
    },
  };
}

/** `YYYY-MM-DD:HH` of a CRS-local hour number (time.ts). */
export function hourString(hour: number): string {
  return `${dayString(Math.floor(hour / 24))}:${pad(hour % 24)}`;
}

let requestSeq = 0;

/** One entry of `usage:records:<id>` (docs/crs.md §9.2). The emulator has no upstream, hence fixed account fields. */
export function recordJson(e: UsageEvent): string {
  const b = costBreakdown(e.model, e.inputTokens, e.outputTokens, e.cacheCreateTokens, e.cacheReadTokens);
  return JSON.stringify({
    timestamp: iso(e.ts),
    model: e.model,
    accountId: ACCOUNT_ID,
    accountType: 'claude-official',
    requestId: `emu_${e.ts.toString(36)}_${(++requestSeq).toString(36)}`,
    endpoint: '/api/v1/messages',
    method: 'POST',
    statusCode: 200,
    stream: false,
    durationMs: 0,
    ...recordTokens(e),
    cost: b.total,
    realCost: b.total,
    costBreakdown: b,
    realCostBreakdown: b,
    pricingSource: 'emulator',
    usedFallbackPricing: false,
    isLongContext: false,
  });
}
