import { R_LAST, type RowTable } from '../buckets.js';
import { type KeyUsage, rowCounts, totalCounts } from '../key-usage.js';
import { costOf, isOpus } from '../pricing.js';
import { dayString, iso, monthString, type Tz } from '../time.js';
import { eachPeriod, type SnapshotWrites } from './snapshot-writes.js';
import { fields, hourString, recordJson, TTL } from './usage-writes.js';

/**
 * Everything usage-writes.ts would have left in Redis for one key, from the store's tables (docs/crs.md §9.2).
 *
 * Costs: CRS sums each request's float cost (INCRBYFLOAT); the store keeps tokens and micros per bucket and model,
 * so a bucket's cost is recomputed from its summed tokens (a cost is linear in tokens): equal up to float
 * rounding, ~1e-15 relative. A cost key's TTL is its bucket's newest write — the newest write *with a cost* in
 * CRS, the same unless the newest requests cost nothing. The daily (30-day) and monthly (90-day) cost keys live
 * shorter than their buckets (32 and 365 days): a model's bucket counts whole when its newest write is still
 * within the cost key's TTL, as CRS has it for a seeded day (one write per day and model) and for live traffic;
 * a bucket whose requests straddle that boundary (back-dated single requests 30 days old, a month begun more than
 * 90 days ago) counts the requests CRS would already have expired too.
 */
export function keyUsageWrites(
  s: SnapshotWrites,
  models: string[],
  id: string,
  u: KeyUsage,
  only?: ReaderWindow,
): void {
  const lifetime = totalCounts(u.tot);
  if (lifetime.requests > 0) s.hash(`usage:${id}`, fields('lifetime', lifetime), null, 0);
  if (u.costTotal > 0) {
    s.float(`usage:cost:total:${id}`, u.costTotal, null, 0);
    if (!only) s.float(`usage:cost:real:total:${id}`, u.costTotal, null, 0);
  }
  if (only) {
    readerBuckets(s, models, id, u, only);
    return;
  }
  alltime(s, models, id, u.alltime);
  const rowCost = (table: RowTable, o: number) => {
    const d = table.d;
    return costOf(models[d[o + 1]], d[o + 3], d[o + 4], d[o + 5], d[o + 6]);
  };

  eachPeriod(u.daily, (day, rows, sum, last) => {
    const D = dayString(day);
    s.hash(`usage:daily:${id}:${D}`, fields('keyBucket', sum), TTL.daily, last);
    s.member(`usage:daily:index:${D}`, id);
    let cost = 0;
    let costLast = 0;
    for (const o of rows) {
      const model = models[u.daily.d[o + 1]];
      const rowLast = u.daily.d[o + R_LAST];
      s.hash(
        `usage:${id}:model:daily:${model}:${D}`,
        fields('modelBucket', rowCounts(u.daily.d, o), true),
        TTL.daily,
        rowLast,
      );
      s.member(`usage:keymodel:daily:index:${D}`, `${id}:${model}`);
      if (s.left(TTL.costDaily, rowLast) > 0) {
        cost += rowCost(u.daily, o);
        costLast = Math.max(costLast, rowLast);
      }
    }
    if (cost > 0) {
      s.float(`usage:cost:daily:${id}:${D}`, cost, TTL.costDaily, costLast);
      s.float(`usage:cost:real:daily:${id}:${D}`, cost, TTL.costDaily, costLast);
    }
  });

  eachPeriod(u.monthly, (month, rows, sum, last) => {
    const M = monthString(month);
    s.hash(`usage:monthly:${id}:${M}`, fields('keyBucket', sum), TTL.monthly, last);
    let cost = 0;
    let costLast = 0;
    for (const o of rows) {
      const model = models[u.monthly.d[o + 1]];
      const rowLast = u.monthly.d[o + R_LAST];
      const c = rowCounts(u.monthly.d, o);
      s.hash(`usage:${id}:model:monthly:${model}:${M}`, fields('modelBucket', c, true), TTL.monthly, rowLast);
      if (s.left(TTL.costMonthly, rowLast) > 0) {
        cost += rowCost(u.monthly, o);
        costLast = Math.max(costLast, rowLast);
      }
    }
    if (cost > 0) s.float(`usage:cost:monthly:${id}:${M}`, cost, TTL.costMonthly, costLast);
  });

  eachPeriod(u.hourly, (hour, rows, sum, last) => {
    const H = hourString(hour);
    s.hash(`usage:hourly:${id}:${H}`, fields('keyBucket', sum), TTL.hourly, last);
    s.member(`usage:hourly:index:${H}`, id);
    let cost = 0;
    for (const o of rows) {
      const model = models[u.hourly.d[o + 1]];
      const rowLast = u.hourly.d[o + R_LAST];
      s.hash(
        `usage:${id}:model:hourly:${model}:${H}`,
        fields('modelBucket', rowCounts(u.hourly.d, o), true),
        TTL.hourly,
        rowLast,
      );
      s.member(`usage:keymodel:hourly:index:${H}`, `${id}:${model}`);
      cost += rowCost(u.hourly, o);
    }
    if (cost > 0) s.float(`usage:cost:hourly:${id}:${H}`, cost, TTL.hourly, last);
  });

  if (u.opusWeeks) {
    const weeks = u.opusWeeks;
    eachPeriod(weeks, (week, rows, _sum, last) => {
      // CRS writes an opus request's cost even when it is zero: the key exists once the week has a request.
      let cost = 0;
      for (const o of rows) cost += rowCost(weeks, o);
      const period = iso(week).slice(0, 13);
      s.float(`usage:opus:weekly:${id}:${period}`, cost, TTL.opusWeekly, last);
      s.float(`usage:opus:real:weekly:${id}:${period}`, cost, TTL.opusWeekly, last);
    });
  }
}

/**
 * Only what the portal's direct reader reads (src/infra/crs-redis/), from a CRS day and a CRS hour on: the key's day
 * buckets, its per-model day buckets and their indexes; the same for hours. Enough for the sync's regular cycles,
 * in a fraction of the full layout's keys (the benchmark's 100,000 keys: the full layout is ~20 M keys).
 */
export interface ReaderWindow {
  fromDay: number;
  fromHour: number;
}

function readerBuckets(s: SnapshotWrites, models: string[], id: string, u: KeyUsage, only: ReaderWindow): void {
  const family = (table: RowTable, from: number, ttl: number, name: (p: number) => string, kind: string) =>
    eachPeriod(table, (p, rows, sum, last) => {
      if (p < from) return;
      const P = name(p);
      s.hash(`usage:${kind}:${id}:${P}`, fields('keyBucket', sum), ttl, last);
      s.member(`usage:${kind}:index:${P}`, id);
      for (const o of rows) {
        const model = models[table.d[o + 1]];
        const c = rowCounts(table.d, o);
        s.hash(`usage:${id}:model:${kind}:${model}:${P}`, fields('modelBucket', c, true), ttl, table.d[o + R_LAST]);
        s.member(`usage:keymodel:${kind}:index:${P}`, `${id}:${model}`);
      }
    });
  family(u.daily, only.fromDay, TTL.daily, dayString, 'daily');
  family(u.hourly, only.fromHour, TTL.hourly, hourString, 'hourly');
}

/** Per-model lifetime buckets, and the opus lifetime cost they hold (CRS adds every opus request's cost there). */
function alltime(s: SnapshotWrites, models: string[], id: string, table: RowTable): void {
  let opus: number | undefined;
  eachPeriod(table, (_p, rows) => {
    for (const o of rows) {
      const model = models[table.d[o + 1]];
      const c = rowCounts(table.d, o);
      s.hash(`usage:${id}:model:alltime:${model}`, fields('alltime', c, true), null, 0);
      if (isOpus(model)) opus = (opus ?? 0) + costOf(model, c.input, c.output, c.cacheCreate, c.cacheRead);
    }
  });
  if (opus !== undefined) {
    s.float(`usage:opus:total:${id}`, opus, null, 0);
    s.float(`usage:opus:real:total:${id}`, opus, null, 0);
  }
}

/**
 * The request log, newest first, with the list's TTL from its newest push. `requestId` is numbered afresh (CRS's
 * is a random id per request; the mirror numbers its writes), so a record's id differs from the mirror's.
 */
export function recordsWrites(s: SnapshotWrites, tz: Tz, id: string, u: KeyUsage): void {
  const left = s.left(TTL.records, u.records.lastPush);
  if (left <= 0) return;
  const list = u.records.latest(tz, s.now);
  if (list.length === 0) return;
  const key = `usage:records:${id}`;
  s.out.send('RPUSH', key, ...list.map(recordJson));
  s.out.send('PEXPIRE', key, left);
}
