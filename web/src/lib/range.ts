/** The date range every stats page shares: a preset (CRS days ending today) or a custom inclusive span. */
import { setSearch, useLocation } from './router';

export const PRESETS = ['7d', '30d', '90d', '365d'] as const;
export type Preset = (typeof PRESETS)[number];

export type RangeValue = { preset: Preset } | { from: string; to: string };

export const DEFAULT_RANGE: RangeValue = { preset: '30d' };
export const MAX_SPAN_DAYS = 366;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The query parameters of docs/api.md ("range" or "from"/"to"). */
export function rangeQuery(r: RangeValue): { range?: string; from?: string; to?: string } {
  return 'preset' in r ? { range: r.preset } : { from: r.from, to: r.to };
}

/** A stable string for query keys and the URL. */
export function rangeKey(r: RangeValue): string {
  return 'preset' in r ? r.preset : `${r.from}..${r.to}`;
}

export function parseRangeKey(s: string | null | undefined): RangeValue {
  if (!s) return DEFAULT_RANGE;
  if ((PRESETS as readonly string[]).includes(s)) return { preset: s as Preset };
  const [from, to] = s.split('..');
  return validateCustom(from, to) ? DEFAULT_RANGE : { from, to };
}

export type RangeProblem = 'missing' | 'order' | 'span';

/** Why a custom range would be refused by the API (null when it is fine). */
export function validateCustom(from: string | undefined, to: string | undefined): RangeProblem | null {
  if (!from || !to || !DATE.test(from) || !DATE.test(to)) return 'missing';
  const a = Date.parse(`${from}T00:00:00Z`);
  const b = Date.parse(`${to}T00:00:00Z`);
  if (Number.isNaN(a) || Number.isNaN(b)) return 'missing';
  if (a > b) return 'order';
  if ((b - a) / 86_400_000 + 1 > MAX_SPAN_DAYS) return 'span';
  return null;
}

/** Today as YYYY-MM-DD in the browser's calendar (a default for the custom inputs). */
export function today(now = new Date()): string {
  return localDay(now);
}

export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** A moment's day as YYYY-MM-DD in the browser's calendar. */
export function localDay(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** The page's range lives in the URL (?range=7d or ?range=2026-01-01..2026-01-31), so it survives a reload. */
export function useUrlRange(): [RangeValue, (r: RangeValue) => void] {
  const { search } = useLocation();
  return [parseRangeKey(search.get('range')), (r) => setSearch({ range: rangeKey(r) })];
}
