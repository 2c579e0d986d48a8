import type { Language } from '../../../infra/notify/types.js';
import { fromMicros } from '../../money.js';

/** Numbers, money and times in the recipient's language; times in the zone the caller gives (default UTC). */
export interface Fmt {
  language: Language;
  number(n: number): string;
  /** Micro-dollars as USD: $8.12, US$8.12. */
  money(micros: number): string;
  /** 0.873 → 87.3% */
  percent(ratio: number): string;
  /** Jun 1, 2025, 08:00 (UTC+8) / 2025年6月1日 08:00 (UTC+8) */
  dateTime(d: Date): string;
  /** 0.12 s → 120 ms */
  seconds(s: number): string;
}

export function createFmt(language: Language, timeZone = 'UTC'): Fmt {
  const num = new Intl.NumberFormat(language, { maximumFractionDigits: 2 });
  const usd = new Intl.NumberFormat(language, { style: 'currency', currency: 'USD', minimumFractionDigits: 2 });
  const smallUsd = new Intl.NumberFormat(language, {
    style: 'currency',
    currency: 'USD',
    maximumSignificantDigits: 2,
  });
  const pct = new Intl.NumberFormat(language, { style: 'percent', maximumFractionDigits: 1 });
  const when = new Intl.DateTimeFormat(language, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone,
  });
  const zone = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'shortOffset' });
  return {
    language,
    number: (n) => num.format(n),
    money: (micros) => {
      const usdValue = fromMicros(micros);
      // A few cents' worth keeps enough digits to stay non-zero (as the web UI shows it).
      return usdValue !== 0 && Math.abs(usdValue) < 0.01 ? smallUsd.format(usdValue) : usd.format(usdValue);
    },
    percent: (ratio) => pct.format(ratio),
    dateTime: (d) => `${when.format(d)} (${zoneLabel(zone, d)})`,
    seconds: (s) => (s < 1 ? `${num.format(Math.round(s * 1000))} ms` : `${num.format(s)} s`),
  };
}

/** UTC, UTC+8, UTC-5:30 at that moment (summer time included): unambiguous in both languages, unlike "CST". */
function zoneLabel(zone: Intl.DateTimeFormat, d: Date): string {
  const parts = zone.formatToParts(d);
  const name = parts.find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  return name === 'GMT' || name === 'GMT+0' ? 'UTC' : name.replace('GMT', 'UTC');
}
