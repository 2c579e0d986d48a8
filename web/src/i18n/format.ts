/**
 * The one place numbers, money, days, timestamps and durations are written (issue 15, point 4); one instance per
 * locale (Intl formatters are costly to build). The date rule: usage is counted in CRS days (`YYYY-MM-DD`, shown as
 * that calendar day whatever the browser's zone, labelled with CRS's zone where it matters); a timestamp (created,
 * last used, synced) is shown in the reader's own zone.
 */
import { niceTicks } from './ticks';

export type Locale = 'en' | 'zh-CN';

/** A chart axis: round tick values and one way of writing them all (never "8,000" beside "16K"). */
export interface Axis {
  ticks: number[];
  format(v: number): string;
}

export interface Formatter {
  locale: Locale;
  /** 1,234,567 */
  number(n: number): string;
  /** 1.2M / 123万 for one big figure on its own (with the exact number beside or on hover); plain below 10,000. */
  compact(n: number): string;
  /** US dollars; small amounts keep enough digits to stay non-zero ($0.0031). */
  money(n: number): string;
  /** 0.873 → 87.3% */
  percent(ratio: number): string;
  /** A CRS day `YYYY-MM-DD` as that calendar day; `short` leaves the year out, `long` says it. */
  day(isoDate: string, style?: 'short' | 'long'): string;
  /** The days of a chart: with their year when they span more than one. */
  dayOfSpan(first: string, last: string): (isoDate: string) => string;
  /** "Mar 1 – 30, 2026", "Dec 20, 2025 – Jan 10, 2026": a range of CRS days. */
  dayRange(from: string, to: string): string;
  /** The calendar date of a timestamp in the reader's zone. */
  date(iso: string): string;
  /** A timestamp in the reader's zone, to the minute. */
  dateTime(iso: string): string;
  /** "3 minutes ago" */
  relative(iso: string, now?: number): string;
  /** 250 ms, 1.5 sec, 10.1 min, 2.5 hr, 3.2 days: units spelled out, never "10.1m" (minutes or millions?). */
  duration(ms: number): string;
  /** Round ticks from 0 to at least `max` for counts (tokens, requests) or money. */
  axis(max: number, kind: 'count' | 'money'): Axis;
}

const cache = new Map<Locale, Formatter>();

export function formatter(locale: Locale): Formatter {
  let f = cache.get(locale);
  if (!f) {
    f = build(locale);
    cache.set(locale, f);
  }
  return f;
}

const utcDay = (iso: string): Date | undefined => {
  const [y, m, d] = iso.split('-').map(Number);
  return y && m && d ? new Date(Date.UTC(y, m - 1, d)) : undefined;
};

function build(locale: Locale): Formatter {
  const num = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
  const compact = new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 });
  const money = new Intl.NumberFormat(locale, { style: 'currency', currency: 'USD', minimumFractionDigits: 2 });
  const smallMoney = new Intl.NumberFormat(locale, {
    style: 'currency',
    currency: 'USD',
    minimumFractionDigits: 2,
    maximumSignificantDigits: 2,
  });
  const pct = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });
  // CRS days are calendar days: formatted in UTC so the browser's zone never moves them.
  const dayShort = new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', timeZone: 'UTC' });
  const dayLong = new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });
  const date = new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', day: 'numeric' });
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  const rel = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  const unit = (u: 'second' | 'minute' | 'hour' | 'day') =>
    new Intl.NumberFormat(locale, { style: 'unit', unit: u, unitDisplay: 'short', maximumFractionDigits: 1 });
  const units = { second: unit('second'), minute: unit('minute'), hour: unit('hour'), day: unit('day') };
  const round1 = (n: number) => Math.round(n * 10) / 10;

  const day = (iso: string, style: 'short' | 'long' = 'short') => {
    const d = utcDay(iso);
    return d ? (style === 'long' ? dayLong : dayShort).format(d) : iso;
  };

  return {
    locale,
    number: (n) => num.format(n),
    compact: (n) => (Math.abs(n) < 10_000 ? num.format(n) : compact.format(n)),
    money: (n) => (n !== 0 && Math.abs(n) < 0.01 ? smallMoney.format(n) : money.format(n)),
    percent: (r) => pct.format(r),
    day,
    dayOfSpan: (first, last) => {
      const style = first.slice(0, 4) === last.slice(0, 4) ? 'short' : 'long';
      return (iso) => day(iso, style);
    },
    dayRange: (from, to) => {
      const a = utcDay(from);
      const b = utcDay(to);
      if (!a || !b) return `${from} – ${to}`;
      if (from === to) return dayLong.format(a);
      return dayLong.formatRange(a, b);
    },
    date: (iso) => date.format(new Date(iso)),
    dateTime: (iso) => dateTime.format(new Date(iso)),
    relative: (iso, now = Date.now()) => {
      const diff = (new Date(iso).getTime() - now) / 1000;
      const abs = Math.abs(diff);
      if (abs < 45) return rel.format(0, 'second');
      if (abs < 45 * 60) return rel.format(Math.round(diff / 60), 'minute');
      if (abs < 22 * 3600) return rel.format(Math.round(diff / 3600), 'hour');
      if (abs < 26 * 86400) return rel.format(Math.round(diff / 86400), 'day');
      if (abs < 320 * 86400) return rel.format(Math.round(diff / (30 * 86400)), 'month');
      return rel.format(Math.round(diff / (365 * 86400)), 'year');
    },
    duration: (ms) => {
      if (ms < 1000) return `${Math.round(ms)} ms`;
      const s = ms / 1000;
      if (s < 60) return units.second.format(round1(s));
      if (s < 3600) return units.minute.format(round1(s / 60));
      if (s < 48 * 3600) return units.hour.format(round1(s / 3600));
      return units.day.format(round1(s / 86400));
    },
    axis: (max, kind) => {
      const ticks = niceTicks(max, kind === 'count');
      const top = ticks[ticks.length - 1];
      const step = ticks[1] - ticks[0];
      // One notation for the whole axis, chosen by its largest tick.
      const big = top >= 10_000;
      // Cents are written as cents ($0.10, not $0.1); finer steps get the digits they need.
      const decimals = step >= 1 ? 0 : Math.min(4, Math.max(2, Math.ceil(-Math.log10(step) - 1e-9)));
      const f =
        kind === 'money'
          ? new Intl.NumberFormat(locale, {
              style: 'currency',
              currency: 'USD',
              ...(big
                ? { notation: 'compact', minimumFractionDigits: 0, maximumFractionDigits: 1 }
                : { minimumFractionDigits: decimals, maximumFractionDigits: decimals }),
            })
          : new Intl.NumberFormat(locale, big ? { notation: 'compact', maximumFractionDigits: 1 } : {});
      return { ticks, format: (v) => f.format(v) };
    },
  };
}
