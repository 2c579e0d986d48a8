import { addRow, type Counts, R_LAST, R_MICRO, type RowTable, W, zeroCounts } from './buckets.js';
import { GlobalUsage, KeyUsage, weekStart } from './key-usage.js';
import { costOf, isOpus } from './pricing.js';
import type { UsageEvent } from './records.js';
import { generateSeedEvents, type SeedSpec } from './seed-events.js';
import type { Tz } from './time.js';
import type { UsageSink } from './usage-sink.js';

export interface OpusWeekRule {
  weeklyResetDay: number;
  weeklyResetHour: number;
}

export interface RecordedCost {
  cost: number;
  costMicro: number;
}

/**
 * The usage side of the emulator: one write path (`record`, and `seed` which aggregates a day's events before
 * writing) feeding every read (usage-stats, trends, batch-stats, dashboard, model-stats, records), so all of
 * them agree to the micro-dollar.
 */
export class UsageStore {
  readonly keys = new Map<string, KeyUsage>();
  readonly global = new GlobalUsage();
  readonly models: string[] = [];
  private readonly modelIds = new Map<string, number>();
  /** The mirror of CRS's Redis layout, when the emulator writes one. */
  sink?: UsageSink;

  constructor(
    readonly tz: Tz,
    private readonly now: () => number,
  ) {}

  modelId(model: string): number {
    let id = this.modelIds.get(model);
    if (id === undefined) {
      if (this.models.length >= 4095) throw new Error('too many distinct model names');
      id = this.models.length;
      this.models.push(model);
      this.modelIds.set(model, id);
    }
    return id;
  }

  of(keyId: string): KeyUsage {
    let u = this.keys.get(keyId);
    if (!u) {
      u = new KeyUsage();
      this.keys.set(keyId, u);
    }
    return u;
  }

  /** One request, exactly as CRS's recordUsageWithDetails would store it. */
  record(keyId: string, e: UsageEvent, rule: OpusWeekRule): RecordedCost {
    const now = this.now();
    const u = this.of(keyId);
    const cost = costOf(e.model, e.inputTokens, e.outputTokens, e.cacheCreateTokens, e.cacheReadTokens);
    const micro = Math.round(cost * 1e6);
    const c: Counts = {
      requests: 1,
      input: e.inputTokens,
      output: e.outputTokens,
      cacheCreate: e.cacheCreateTokens,
      cacheRead: e.cacheReadTokens,
      micro,
    };
    const m = this.modelId(e.model);
    this.writeBuckets(keyId, u, m, e.ts, now, c, cost);
    this.writeHour(keyId, u, m, e.ts, now, c, cost);
    if (isOpus(e.model)) this.addOpus(keyId, u, m, e.ts, now, rule, c, cost);
    u.records.pushLive(e);
    this.sink?.record(keyId, e);
    return { cost, costMicro: micro };
  }

  /**
   * A deterministic history (seed-events.ts) written in one pass: per day and model the counters are summed
   * first and written once; hourly, minute and opus buckets still get per-event writes, but only for events
   * recent enough to matter. Returns the last event time (the key's lastUsedAt) or 0.
   */
  seed(keyId: string, spec: SeedSpec, rule: OpusWeekRule): number {
    const now = this.now();
    const u = this.of(keyId);
    const tz = this.tz;
    // Per model id: [requests, input, output, cacheCreate, cacheRead, micro, cost, lastTs] for the current day.
    let agg = new Float64Array(8 * 8);
    const touched: number[] = [];
    const c: Counts = zeroCounts();
    let curDay = Number.NaN;
    let count = 0;
    let lastTs = 0;
    const flush = () => {
      for (const m of touched) {
        const o = m * 8;
        c.requests = agg[o];
        c.input = agg[o + 1];
        c.output = agg[o + 2];
        c.cacheCreate = agg[o + 3];
        c.cacheRead = agg[o + 4];
        c.micro = agg[o + 5];
        this.writeBuckets(keyId, u, m, agg[o + 7], now, c, agg[o + 6]);
        agg.fill(0, o, o + 8);
      }
      touched.length = 0;
    };
    const hourFloor = now - 8 * 86_400_000;
    const kept = Math.min(spec.days, 33);
    u.daily.reserve(u.daily.n + kept * 3);
    u.hourly.reserve(u.hourly.n + Math.min(spec.days, 8) * Math.min(24, Math.ceil(spec.requestsPerDay * 1.5)));
    u.monthly.reserve(u.monthly.n + (Math.ceil(Math.min(spec.days, 366) / 28) + 1) * 3);
    const ev: Counts = zeroCounts();
    generateSeedEvents(spec, tz, (e) => {
      const day = tz.dayNum(e.ts);
      if (day !== curDay) {
        flush();
        curDay = day;
      }
      const cost = costOf(e.model, e.inputTokens, e.outputTokens, e.cacheCreateTokens, e.cacheReadTokens);
      const m = this.modelId(e.model);
      if ((m + 1) * 8 > agg.length) {
        const bigger = new Float64Array((m + 1) * 16);
        bigger.set(agg);
        agg = bigger;
      }
      const o = m * 8;
      if (agg[o] === 0) touched.push(m);
      const micro = Math.round(cost * 1e6);
      agg[o]++;
      agg[o + 1] += e.inputTokens;
      agg[o + 2] += e.outputTokens;
      agg[o + 3] += e.cacheCreateTokens;
      agg[o + 4] += e.cacheReadTokens;
      agg[o + 5] += micro;
      agg[o + 6] += cost;
      agg[o + 7] = e.ts;
      ev.requests = 1;
      ev.input = e.inputTokens;
      ev.output = e.outputTokens;
      ev.cacheCreate = e.cacheCreateTokens;
      ev.cacheRead = e.cacheReadTokens;
      ev.micro = micro;
      if (e.ts > hourFloor) this.writeHour(keyId, u, m, e.ts, now, ev, cost);
      if (isOpus(e.model)) this.addOpus(keyId, u, m, e.ts, now, rule, ev, cost);
      count++;
      lastTs = e.ts;
    });
    flush();
    u.records.pushSeed(spec, count, lastTs);
    this.sink?.records(keyId, u.records.latest(tz, now), u.records.lastPush);
    return lastTs;
  }

  private writeBuckets(keyId: string, u: KeyUsage, m: number, ts: number, now: number, c: Counts, cost: number) {
    const tz = this.tz;
    const day = tz.dayNum(ts);
    const month = tz.monthNum(ts);
    u.addTotals(c, cost);
    u.alltime.add(0, m, ts, now, c);
    u.daily.add(day, m, ts, now, c);
    u.monthly.add(month, m, ts, now, c);
    u.addDayCost(day, cost);
    const g = this.global;
    g.addTotals(c);
    g.daily.add(day, m, ts, now, c);
    g.monthly.add(month, m, ts, now, c);
    this.sink?.buckets(keyId, this.models[m], ts, c, cost);
  }

  private writeHour(keyId: string, u: KeyUsage, m: number, ts: number, now: number, c: Counts, cost: number) {
    const hour = this.tz.hourNum(ts);
    u.hourly.add(hour, m, ts, now, c);
    this.global.hourly.add(hour, m, ts, now, c);
    this.global.addMinute(ts, now, c);
    this.sink?.hour(keyId, this.models[m], ts, c, cost);
  }

  private addOpus(
    keyId: string,
    u: KeyUsage,
    m: number,
    ts: number,
    now: number,
    rule: OpusWeekRule,
    c: Counts,
    cost: number,
  ) {
    const week = this.week(ts, rule);
    u.addOpusCost(week, cost, m, ts, now, c);
    this.sink?.opus(keyId, week, ts, cost);
  }

  week(ts: number, rule: OpusWeekRule): number {
    return weekStart(ts + this.tz.offMs, rule.weeklyResetDay, rule.weeklyResetHour);
  }

  /** Sum of alive rows of `table` with period in [from, to] (all models). */
  sum(table: RowTable, from: number, to: number): Counts {
    const c = zeroCounts();
    const now = this.now();
    const d = table.d;
    for (let o = (table.n - 1) * W; o >= 0; o -= W) {
      const p = d[o];
      if (p < from && table.sorted) break;
      if (p >= from && p <= to && now - d[o + R_LAST] < table.ttl) addRow(c, d, o);
    }
    return c;
  }

  /** Per model over periods [from, to]. */
  byModel(table: RowTable, from: number, to: number): Map<string, Counts> {
    const out = new Map<string, Counts>();
    const now = this.now();
    const d = table.d;
    for (let o = 0; o < table.n * W; o += W) {
      if (d[o] < from || d[o] > to || now - d[o + R_LAST] >= table.ttl) continue;
      const name = this.models[d[o + 1]];
      let c = out.get(name);
      if (!c) {
        c = zeroCounts();
        out.set(name, c);
      }
      addRow(c, d, o);
    }
    return out;
  }

  /** Visits alive rows with period in [from, to]: (period, requests, allTokens, micro); newest first. */
  eachRow(table: RowTable, from: number, to: number, fn: (p: number, req: number, all: number, micro: number) => void) {
    const now = this.now();
    const d = table.d;
    for (let o = (table.n - 1) * W; o >= 0; o -= W) {
      const p = d[o];
      if (p < from && table.sorted) break;
      if (p > to || p < from || now - d[o + R_LAST] >= table.ttl) continue;
      fn(p, d[o + 2], d[o + 3] + d[o + 4] + d[o + 5] + d[o + 6], d[o + R_MICRO]);
    }
  }

  /** Permanent delete: CRS SCAN-deletes `usage:*:<id>*`; global aggregates keep the usage. */
  drop(keyId: string): void {
    this.keys.delete(keyId);
    this.sink?.drop(keyId);
  }
}
