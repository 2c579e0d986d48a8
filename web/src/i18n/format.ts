/** Locale-aware formatting with Intl; one instance per locale (formatters are costly to build). */

export type Locale = 'en' | 'zh-CN';

export interface Formatter {
  locale: Locale;
  /** 1,234,567 */
  number(n: number): string;
  /** 1.2M / 123万: for tokens and other big counts. */
  compact(n: number): string;
  /** US dollars; small amounts keep enough digits to stay non-zero ($0.0031). */
  money(n: number): string;
  /** 0.873 → 87.3% */
  percent(ratio: number): string;
  /** A CRS day `YYYY-MM-DD`, shown as is in the calendar sense (never shifted by the browser's zone). */
  day(isoDate: string, style?: 'short' | 'long'): string;
  /** An ISO timestamp in the browser's zone. */
  dateTime(iso: string): string;
  /** "3 minutes ago" */
  relative(iso: string, now?: number): string;
  /** 1234 ms → 1.2 s; 95 s → 1 min 35 s */
  duration(ms: number): string;
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
  const dayShort = new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', timeZone: 'UTC' });
  const dayLong = new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  const rel = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  const unit = (u: 'second' | 'minute' | 'hour') =>
    new Intl.NumberFormat(locale, { style: 'unit', unit: u, unitDisplay: 'narrow', maximumFractionDigits: 1 });
  const seconds = unit('second');
  const minutes = unit('minute');
  const hours = unit('hour');

  return {
    locale,
    number: (n) => num.format(n),
    compact: (n) => (Math.abs(n) < 10_000 ? num.format(n) : compact.format(n)),
    money: (n) => (n !== 0 && Math.abs(n) < 0.01 ? smallMoney.format(n) : money.format(n)),
    percent: (r) => pct.format(r),
    day: (iso, style = 'short') => {
      const [y, m, d] = iso.split('-').map(Number);
      if (!y || !m || !d) return iso;
      return (style === 'long' ? dayLong : dayShort).format(new Date(Date.UTC(y, m - 1, d)));
    },
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
      if (s < 60) return seconds.format(s);
      if (s < 3600) return minutes.format(Math.round((s / 60) * 10) / 10);
      return hours.format(Math.round((s / 3600) * 10) / 10);
    },
  };
}
