import type { Db } from '../../infra/db/client.js';
import { type DailyRow, dailyRows, userKeys } from '../../infra/db/repos/usage.js';
import { modelRows } from '../../infra/db/repos/usage-models.js';
import { fromMicros } from '../money.js';
import { type Acc, add, entry, getOrAdd, toTotals, zero } from './aggregate.js';
import { openBody } from './body.js';
import { splitByModel } from './by-model.js';
import {
  addDays,
  crsDay,
  crsDayStart,
  type DayRange,
  daysBetween,
  eachDay,
  monthRange,
  previousMonth,
} from './range.js';

/**
 * The spend summary (docs/product.md §2.4): today, this month with a month-end projection, the previous month, the
 * range against the period of the same length before it, and the range by key and by model, day by day for the
 * stacked charts. Everything from the portal's own rows — one read of the daily rows spanning every period, one of
 * the model rows — so each total is exactly the sum of the daily rows it covers. No CRS call.
 */

const DAY_MS = 86_400_000;

const brief = (a: Acc) => ({ requests: a.requests, tokens: a.tokens, cost: fromMicros(a.costMicros) });
const within = (day: string, from: string, to: string) => day >= from && day <= to;
/** (now − before) / before, or null when there was nothing before to compare with. */
const change = (now: number, before: number) => (before === 0 ? null : (now - before) / before);

export async function summaryAnswer(db: Db, userId: string, r: DayRange, now: Date, offset: number): Promise<string> {
  const today = crsDay(now, offset);
  const month = today.slice(0, 7);
  const thisMonth = monthRange(month);
  const lastMonthName = previousMonth(month);
  const lastMonth = monthRange(lastMonthName);
  const previous = { from: addDays(r.from, -daysBetween(r.from, r.to)), to: addDays(r.from, -1) };
  const lo = [previous.from, lastMonth.from, r.from].sort()[0];
  const hi = [r.to, today].sort()[1];
  const [rows, keys, models] = await Promise.all([
    dailyRows(db, userId, { from: lo, to: hi }),
    userKeys(db, userId),
    modelRows(db, userId, r),
  ]);
  const sums = { range: zero(), previous: zero(), today: zero(), month: zero(), lastMonth: zero() };
  const inRange: DailyRow[] = [];
  for (const row of rows) {
    if (within(row.day, r.from, r.to)) {
      add(sums.range, row);
      inRange.push(row);
    }
    if (within(row.day, previous.from, previous.to)) add(sums.previous, row);
    if (row.day === today) add(sums.today, row);
    if (within(row.day, thisMonth.from, today)) add(sums.month, row);
    if (within(row.day, lastMonth.from, lastMonth.to)) add(sums.lastMonth, row);
  }
  // The month so far, scaled to the whole month (at least an hour counted, so a month's first minutes do not explode).
  const elapsedDays = Math.max(1 / 24, (now.getTime() - crsDayStart(thisMonth.from, offset).getTime()) / DAY_MS);
  const monthDays = daysBetween(thisMonth.from, thisMonth.to);
  const projectedCost = Math.round((sums.month.costMicros / elapsedDays) * monthDays) / 1e6;
  const current = toTotals(sums.range);
  const before = toTotals(sums.previous);
  const names = new Map(keys.map((k) => [k.id, k.name]));
  return openBody({
    range: r,
    today: { date: today, ...brief(sums.today) },
    month: { month, from: thisMonth.from, to: thisMonth.to, ...brief(sums.month), projectedCost },
    previousMonth: { month: lastMonthName, ...lastMonth, ...brief(sums.lastMonth) },
    current,
    previous: { ...previous, ...before },
    change: {
      requests: change(current.requests, before.requests),
      tokens: change(current.tokens, before.tokens),
      cost: change(sums.range.costMicros, sums.previous.costMicros),
    },
    ...byKeyAndModel(r, inRange, splitByModel(inRange, models), names),
  });
}

/** The range by key and by model, in sums and day by day (the stacked charts' parts). */
function byKeyAndModel(
  r: DayRange,
  rows: DailyRow[],
  split: ReturnType<typeof splitByModel>,
  names: Map<string, string>,
) {
  const keySums = new Map<string, Acc>();
  const modelSums = new Map<string | null, Acc>();
  const days = new Map<string, { total: Acc; keys: Map<string, Acc>; models: Map<string | null, Acc> }>();
  const dayOf = (d: string) => getOrAdd(days, d, () => ({ total: zero(), keys: new Map(), models: new Map() }));
  for (const row of rows) {
    add(entry(keySums, row.apiKeyId), row);
    const d = dayOf(row.day);
    add(d.total, row);
    add(entry(d.keys, row.apiKeyId), row);
  }
  for (const m of split) {
    add(entry(modelSums, m.model), m);
    add(entry(dayOf(m.day).models, m.model), m);
  }
  const byCost = (a: Acc, b: Acc) => b.costMicros - a.costMicros || b.tokens - a.tokens;
  return {
    byKey: [...keySums]
      .sort(([, a], [, b]) => byCost(a, b))
      .map(([keyId, a]) => ({ keyId, name: names.get(keyId) ?? keyId, ...toTotals(a) })),
    byModel: [...modelSums].sort(([, a], [, b]) => byCost(a, b)).map(([model, a]) => ({ model, ...toTotals(a) })),
    days: eachDay(r).map((date) => {
      const d = days.get(date);
      return {
        date,
        ...brief(d?.total ?? zero()),
        keys: d ? [...d.keys].map(([keyId, a]) => ({ keyId, ...brief(a) })) : [],
        models: d ? [...d.models].map(([model, a]) => ({ model, ...brief(a) })) : [],
      };
    }),
  };
}
