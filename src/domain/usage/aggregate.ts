import type { DailyRow } from '../../infra/db/repos/usage.js';
import { fromMicros } from '../money.js';
import type { UsageFigures } from './figures.js';
import { type DayRange, eachDay } from './range.js';

/** A range's totals. */
export type UsageTotals = UsageFigures;

export interface SeriesPoint {
  date: string;
  requests: number;
  tokens: number;
  cost: number;
}

/** Integer sums of daily rows (micro-dollars): a DailyRow without its key and day. */
export type Acc = Omit<DailyRow, 'apiKeyId' | 'day'>;

export const zero = (): Acc => ({
  requests: 0,
  tokens: 0,
  inputTokens: 0,
  outputTokens: 0,
  cacheCreateTokens: 0,
  cacheReadTokens: 0,
  costMicros: 0,
});

/** Adds a row's figures to a sum (the token split and cost included). */
export function add(a: Acc, r: Acc) {
  a.requests += r.requests;
  a.tokens += r.tokens;
  a.inputTokens += r.inputTokens;
  a.outputTokens += r.outputTokens;
  a.cacheCreateTokens += r.cacheCreateTokens;
  a.cacheReadTokens += r.cacheReadTokens;
  a.costMicros += r.costMicros;
}

/**
 * Totals, a zero-filled daily series and per-key sums from the same rows, in integers (micro-dollars) until the
 * last step: the series and the per-key list add up exactly to the totals.
 */
export function aggregate(range: DayRange, rows: DailyRow[]) {
  const total = zero();
  const byDay = new Map<string, Acc>();
  const byKey = new Map<string, Acc>();
  for (const r of rows) {
    add(total, r);
    add(entry(byDay, r.day), r);
    add(entry(byKey, r.apiKeyId), r);
  }
  const series: SeriesPoint[] = eachDay(range).map((date) => {
    const d = byDay.get(date);
    return { date, requests: d?.requests ?? 0, tokens: d?.tokens ?? 0, cost: fromMicros(d?.costMicros ?? 0) };
  });
  return { totals: toTotals(total), series, byKey };
}

/** The value kept under `key`, made by `make` on first use. */
export function getOrAdd<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let v = map.get(key);
  if (v === undefined) {
    v = make();
    map.set(key, v);
  }
  return v;
}

/** The sum kept under `key`, made on first use. */
export function entry<K>(map: Map<K, Acc>, key: K): Acc {
  let acc = map.get(key);
  if (!acc) {
    acc = zero();
    map.set(key, acc);
  }
  return acc;
}

export function toTotals(a: Acc): UsageTotals {
  const { costMicros, ...rest } = a;
  return { ...rest, cost: fromMicros(costMicros) };
}
