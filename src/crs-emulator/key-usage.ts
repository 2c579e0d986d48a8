import { type Counts, MapTable, R_CC, R_CR, R_IN, R_MICRO, R_OUT, R_REQ, RowTable, W } from './buckets.js';
import { RecordLog } from './records.js';
import { DAY_MS, HOUR_MS } from './time.js';

export const TTL = {
  hourly: 7 * DAY_MS,
  daily: 32 * DAY_MS,
  monthly: 365 * DAY_MS,
  minute: 10 * 60_000,
  opusWeekly: 14 * DAY_MS,
} as const;

/** Lifetime counters index into `tot`. */
export const T_REQ = 0;
export const T_IN = 1;
export const T_OUT = 2;
export const T_CC = 3;
export const T_CR = 4;

/** Rate-limit window of a key with rateLimitWindow > 0 (relay traffic only, as in CRS). */
export interface RateWindow {
  start: number;
  requests: number;
  tokens: number;
  cost: number;
}

/**
 * Everything CRS writes per key for usage (docs/crs.md §9.2), in compact tables: lifetime totals
 * (`usage:<id>`), stored-cost totals (`usage:cost:total`, a float sum), per-model alltime/daily/monthly
 * buckets with cost micros, per-hour totals, today's cost, this week's opus cost, the request log.
 */
export class KeyUsage {
  tot = new Float64Array(5);
  costTotal = 0;
  alltime = new RowTable(Number.POSITIVE_INFINITY, 3);
  daily = new RowTable(TTL.daily, 4);
  monthly = new RowTable(TTL.monthly, 3);
  /** Per model, as CRS's `usage:<id>:model:hourly:*` (the per-key hourly trend sums the models of an hour). */
  hourly = new RowTable(TTL.hourly, 4);
  costDay = -1;
  dayCost = 0;
  opusWeek = -1;
  opusCost = 0;
  /**
   * Opus usage per (week start, CRS-local ms; model), as CRS's `usage:opus:weekly:<id>:*` keeps it for 14 days:
   * only the Redis snapshot (crs-redis/snapshot.ts) reads the older weeks. Created at the first opus request.
   */
  opusWeeks: RowTable | null = null;
  records = new RecordLog();
  window: RateWindow | null = null;

  addTotals(c: Counts, cost: number): void {
    this.tot[T_REQ] += c.requests;
    this.tot[T_IN] += c.input;
    this.tot[T_OUT] += c.output;
    this.tot[T_CC] += c.cacheCreate;
    this.tot[T_CR] += c.cacheRead;
    this.costTotal += cost;
  }

  /** `usage:cost:daily:<id>:<today>`: only the newest day matters (batch-stats reads today's). */
  addDayCost(day: number, cost: number): void {
    if (day > this.costDay) {
      this.costDay = day;
      this.dayCost = 0;
    }
    if (day === this.costDay) this.dayCost += cost;
  }

  addOpusCost(week: number, cost: number, model: number, ts: number, now: number, c: Counts): void {
    this.opusWeeks ??= new RowTable(TTL.opusWeekly, 2);
    this.opusWeeks.add(week, model, ts, now, c);
    if (week > this.opusWeek) {
      this.opusWeek = week;
      this.opusCost = 0;
    }
    if (week === this.opusWeek) this.opusCost += cost;
  }

  /** Trims spare capacity after a bulk seed so 100,000 seeded keys do not carry half-empty arrays. */
  shrink(): void {
    for (const t of [this.alltime, this.daily, this.monthly, this.hourly, this.opusWeeks]) {
      if (!t) continue;
      if (t.d.length > (t.n + 1) * W) t.d = t.d.slice(0, (t.n + 1) * W);
    }
  }
}

/** Global aggregates (`usage:global:*`, `usage:model:*`, `system:metrics:minute:*`); never per key. */
export class GlobalUsage {
  total = new Float64Array(5);
  daily = new MapTable(TTL.daily);
  monthly = new MapTable(TTL.monthly);
  hourly = new MapTable(TTL.hourly);
  /** minute → [requests, allTokens, input, output, cacheCreate, cacheRead, last write ms] (`system:metrics:minute:*`). */
  minutes = new Map<number, number[]>();

  addTotals(c: Counts): void {
    this.total[T_REQ] += c.requests;
    this.total[T_IN] += c.input;
    this.total[T_OUT] += c.output;
    this.total[T_CC] += c.cacheCreate;
    this.total[T_CR] += c.cacheRead;
  }

  addMinute(ts: number, now: number, c: Counts): void {
    if (now - ts >= TTL.minute) return;
    const m = Math.floor(ts / 60_000);
    const row = this.minutes.get(m);
    const all = c.input + c.output + c.cacheCreate + c.cacheRead;
    if (row) {
      row[0] += c.requests;
      row[1] += all;
      row[2] += c.input;
      row[3] += c.output;
      row[4] += c.cacheCreate;
      row[5] += c.cacheRead;
      row[6] = Math.max(row[6] ?? 0, ts);
    } else {
      this.minutes.set(m, [c.requests, all, c.input, c.output, c.cacheCreate, c.cacheRead, ts]);
      // CRS sets the minute's TTL at each write, so its Redis forgets a minute TTL.minute after its last write, not
      // after its start (a minute written late in its span outlives it by up to 60 s there, and in the snapshot).
      for (const [k, r] of this.minutes) if (now - (r[6] ?? k * 60_000) >= TTL.minute) this.minutes.delete(k);
    }
  }
}

/** A lifetime counter array (`tot`, `GlobalUsage.total`) as Counts (no cost micros: CRS keeps cost apart). */
export function totalCounts(t: Float64Array): Counts {
  return { requests: t[T_REQ], input: t[T_IN], output: t[T_OUT], cacheCreate: t[T_CC], cacheRead: t[T_CR], micro: 0 };
}

export function rowCounts(d: Float64Array, o: number): Counts {
  return {
    requests: d[o + R_REQ],
    input: d[o + R_IN],
    output: d[o + R_OUT],
    cacheCreate: d[o + R_CC],
    cacheRead: d[o + R_CR],
    micro: d[o + R_MICRO],
  };
}

/** Start (CRS-local ms) of the opus week containing ts: weekday 1=Mon..7=Sun at resetHour, CRS-local. */
export function weekStart(tsLocal: number, resetDay: number, resetHour: number): number {
  const dow = new Date(tsLocal).getUTCDay();
  const target = resetDay % 7;
  let start = Math.floor(tsLocal / DAY_MS) * DAY_MS - ((dow - target + 7) % 7) * DAY_MS + resetHour * HOUR_MS;
  if (start > tsLocal) start -= 7 * DAY_MS;
  return start;
}
