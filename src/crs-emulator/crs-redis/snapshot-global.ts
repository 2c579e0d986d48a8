import { addRow, type Counts, type MapTable, R_LAST, zeroCounts } from '../buckets.js';
import { type GlobalUsage, rowCounts, totalCounts } from '../key-usage.js';
import { dayString, monthString } from '../time.js';
import type { SnapshotWrites } from './snapshot-writes.js';
import { fields, hourString, TTL } from './usage-writes.js';

/**
 * The counters across keys (docs/crs.md §9.2): `usage:global:*`, `usage:model:*`, the minute metrics, and the
 * index sets. Every index set is declared here, from the global table of its period, because the same writes of
 * CRS fill both: a day's index lives as long as that day's newest write anywhere. The per-key members follow
 * (snapshot-usage.ts); the per-model members are written here.
 */
export function globalWrites(s: SnapshotWrites, g: GlobalUsage, models: string[]): void {
  const total = totalCounts(g.total);
  if (total.requests > 0) s.hash('usage:global:total', fields('global', total), null, 0);

  eachGlobalPeriod(g.daily, (day, rows, sum, last) => {
    const D = dayString(day);
    s.hash(`usage:global:daily:${D}`, fields('global', sum), TTL.daily, last);
    for (const idx of [`usage:daily:index:${D}`, `usage:keymodel:daily:index:${D}`, `usage:model:daily:index:${D}`]) {
      s.index(idx, TTL.daily, last);
    }
    for (const row of rows) {
      const model = models[row[1]];
      s.hash(`usage:model:daily:${model}:${D}`, fields('modelBucket', rowCounts(row, 0)), TTL.daily, row[R_LAST]);
      s.member(`usage:model:daily:index:${D}`, model);
    }
  });

  // Every month CRS ever wrote, without a TTL; the store forgets a month once all its buckets have expired.
  s.index('usage:model:monthly:months', null, 0);
  eachGlobalPeriod(g.monthly, (month, rows, sum, last) => {
    const M = monthString(month);
    s.hash(`usage:global:monthly:${M}`, fields('global', sum), TTL.monthly, last);
    s.index(`usage:model:monthly:index:${M}`, TTL.monthly, last);
    s.member('usage:model:monthly:months', M);
    for (const row of rows) {
      const model = models[row[1]];
      s.hash(`usage:model:monthly:${model}:${M}`, fields('modelBucket', rowCounts(row, 0)), TTL.monthly, row[R_LAST]);
      s.member(`usage:model:monthly:index:${M}`, model);
    }
  });

  eachGlobalPeriod(g.hourly, (hour, rows, _sum, last) => {
    const H = hourString(hour);
    for (const idx of [
      `usage:hourly:index:${H}`,
      `usage:keymodel:hourly:index:${H}`,
      `usage:model:hourly:index:${H}`,
    ]) {
      s.index(idx, TTL.hourly, last);
    }
    for (const row of rows) {
      const model = models[row[1]];
      s.hash(`usage:model:hourly:${model}:${H}`, fields('modelBucket', rowCounts(row, 0)), TTL.hourly, row[R_LAST]);
      s.member(`usage:model:hourly:index:${H}`, model);
    }
  });

  for (const [minute, m] of g.minutes) {
    const c: Counts = { requests: m[0], input: m[2], output: m[3], cacheCreate: m[4], cacheRead: m[5], micro: 0 };
    // A minute loaded from an older data file has no split and no write time: its start stands in for it.
    s.hash(`system:metrics:minute:${minute}`, fields('minute', c), TTL.minute, m[6] ?? minute * 60_000);
  }
}

/** The rows of each period (one per model) with their sum and newest write, as eachPeriod does per key. */
function eachGlobalPeriod(
  table: MapTable,
  visit: (period: number, rows: Float64Array[], sum: Counts, last: number) => void,
): void {
  for (const [period, sparse] of table.m) {
    const rows = sparse.filter(Boolean);
    if (rows.length === 0) continue;
    const sum = zeroCounts();
    let last = 0;
    for (const row of rows) {
      addRow(sum, row, 0);
      if (row[R_LAST] > last) last = row[R_LAST];
    }
    visit(period, rows, sum, last);
  }
}
