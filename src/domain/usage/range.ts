import { AppError, type FieldIssue } from '../errors.js';

/** An inclusive range of CRS days (YYYY-MM-DD in CRS's timezone). */
export interface DayRange {
  from: string;
  to: string;
  /** e.g. "UTC+8": CRS buckets days in its own timezone, and so do we. */
  timezone: string;
}

export interface RangeQuery {
  range?: string;
  from?: string;
  to?: string;
}

export const MAX_RANGE_DAYS = 366;
const PRESETS: Record<string, number> = { '7d': 7, '30d': 30, '90d': 90, '365d': 365 };
const DAY_MS = 86_400_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
/**
 * The calendar range of every date the portal accepts (ranges, key expiry): year 0 is no PostgreSQL date, and
 * past 9999 the export's chunking broke mid-stream.
 */
export const FIRST_DAY = '2000-01-01';
export const LAST_DAY = '2100-12-31';

/** The last CRS day crsDay answered, per offset. */
const lastDays = new Map<number, { day: number; date: string }>();

/**
 * Today's CRS day: shift the instant by CRS's offset, then read the UTC date (docs/crs.md §9). Hot reads ask for it
 * on every request (the summary's key), so the last answer per offset is kept until CRS's day changes.
 */
export function crsDay(at: Date, offsetHours: number): string {
  const shifted = at.getTime() + offsetHours * 3_600_000;
  const day = Math.floor(shifted / DAY_MS);
  const last = lastDays.get(offsetHours);
  if (last?.day === day) return last.date;
  const date = new Date(shifted).toISOString().slice(0, 10);
  lastDays.set(offsetHours, { day, date });
  return date;
}

export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1;
}

/** The days of the last ranges eachDay answered, by `from:to`. */
const daysOf = new Map<string, readonly string[]>();

/**
 * Every day of the range in order (series have one point per day, zeros included). Each loaded answer walks its
 * range once per series (a comparison once per key), so the days of the last ranges asked are kept, shared and
 * frozen.
 */
export function eachDay(r: { from: string; to: string }): readonly string[] {
  const key = `${r.from}:${r.to}`;
  const known = daysOf.get(key);
  if (known) return known;
  const start = Date.parse(`${r.from}T00:00:00Z`);
  const n = daysBetween(r.from, r.to);
  const out = new Array<string>(n);
  for (let i = 0; i < n; i++) out[i] = new Date(start + i * DAY_MS).toISOString().slice(0, 10);
  if (daysOf.size >= 64) daysOf.clear();
  daysOf.set(key, Object.freeze(out));
  return out;
}

export const timezoneLabel = (offsetHours: number) =>
  offsetHours === 0 ? 'UTC' : `UTC${offsetHours > 0 ? '+' : '-'}${Math.abs(offsetHours)}`;

/** A real calendar day: 2026-02-30 and 2026-13-01 are refused, not rolled over. */
function validDate(s: string): boolean {
  if (!DATE.test(s)) return false;
  const t = Date.parse(`${s}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().startsWith(s);
}

/** `range=Nd` or `from`+`to` (inclusive, at most 366 days, from <= to); default 30d (docs/api.md "Ranges"). */
export function resolveRange(q: RangeQuery, now: Date, offsetHours: number): DayRange {
  const timezone = timezoneLabel(offsetHours);
  const issues: FieldIssue[] = [];
  if (q.from !== undefined || q.to !== undefined) {
    if (q.range !== undefined) issues.push({ path: 'range', message: 'use either range or from/to, not both' });
    for (const field of ['from', 'to'] as const) {
      const v = q[field];
      if (v === undefined) issues.push({ path: field, message: 'is required with from/to ranges' });
      else if (!validDate(v)) issues.push({ path: field, message: 'must be a date YYYY-MM-DD' });
      else if (v < FIRST_DAY || v > LAST_DAY) {
        issues.push({ path: field, message: `must be between ${FIRST_DAY} and ${LAST_DAY}` });
      }
    }
    if (!issues.length) {
      const { from, to } = q as { from: string; to: string };
      if (from > to) issues.push({ path: 'from', message: 'must not be after to' });
      else if (daysBetween(from, to) > MAX_RANGE_DAYS) {
        issues.push({ path: 'to', message: `the range must span at most ${MAX_RANGE_DAYS} days` });
      }
      if (!issues.length) return { from, to, timezone };
    }
    throw new AppError('bad_request', `${issues[0].path}: ${issues[0].message}`, issues);
  }
  const days = PRESETS[q.range ?? '30d'];
  if (!days)
    throw new AppError('bad_request', 'range: must be one of 7d, 30d, 90d, 365d', [
      { path: 'range', message: 'must be one of 7d, 30d, 90d, 365d' },
    ]);
  return presetRange(days, now, offsetHours, timezone);
}

/**
 * A preset range only changes when CRS's day does, yet every hot stats read asks for one: it is computed once
 * per (offset, preset, CRS day) instead of formatting dates on each request. Shared and frozen.
 */
const presets = new Map<number, { day: number; range: Readonly<DayRange> }>();

function presetRange(days: number, now: Date, offsetHours: number, timezone: string): DayRange {
  const day = Math.floor((now.getTime() + offsetHours * 3_600_000) / DAY_MS);
  const key = offsetHours * 1000 + days;
  const memo = presets.get(key);
  if (memo?.day === day) return memo.range;
  const to = crsDay(now, offsetHours);
  const range = Object.freeze({ from: addDays(to, -(days - 1)), to, timezone });
  presets.set(key, { day, range });
  return range;
}

/** The calendar month of a CRS day, `YYYY-MM`, and its first and last days. */
export function monthRange(month: string): { from: string; to: string } {
  const [y, m] = month.split('-').map(Number);
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { from: `${month}-01`, to: `${month}-${String(last).padStart(2, '0')}` };
}

/** The month before `YYYY-MM`. */
export function previousMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/** The UTC instant a CRS day starts (CRS's midnight). */
export const crsDayStart = (day: string, offsetHours: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) - offsetHours * 3_600_000);
