/**
 * CRS buckets days, hours and months in its own timezone (docs/crs.md §2, §9): shift the UTC instant by the
 * offset, then read UTC fields. Periods are kept as integers (day/hour numbers since the epoch in CRS-local
 * time, month = year*12 + month) so the store never formats strings on the write path.
 */
export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;
export const MINUTE_MS = 60_000;

export class Tz {
  readonly offMs: number;
  constructor(readonly offsetHours: number) {
    this.offMs = offsetHours * HOUR_MS;
  }

  dayNum(ts: number): number {
    return Math.floor((ts + this.offMs) / DAY_MS);
  }

  hourNum(ts: number): number {
    return Math.floor((ts + this.offMs) / HOUR_MS);
  }

  private lastDay = Number.NaN;
  private lastMonth = 0;

  monthNum(ts: number): number {
    const day = this.dayNum(ts);
    if (day !== this.lastDay) {
      const d = new Date(ts + this.offMs);
      this.lastDay = day;
      this.lastMonth = d.getUTCFullYear() * 12 + d.getUTCMonth();
    }
    return this.lastMonth;
  }

  /** The UTC instant where CRS-local day `day` begins. */
  dayStartUtc(day: number): number {
    return day * DAY_MS - this.offMs;
  }

  hourStartUtc(hour: number): number {
    return hour * HOUR_MS - this.offMs;
  }

  /** "MM/DD HH:00" in CRS-local time, as the hourly trends label their buckets. */
  hourLabel(hour: number): string {
    const d = new Date(hour * HOUR_MS);
    return `${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:00`;
  }

  dateString(ts: number): string {
    return dayString(this.dayNum(ts));
  }
}

export function dayString(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export function monthString(month: number): string {
  return `${Math.floor(month / 12)}-${pad((month % 12) + 1)}`;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Day number of a strict YYYY-MM-DD string, or null. */
export function parseDay(s: unknown): number | null {
  if (typeof s !== 'string') return null;
  const m = DATE_RE.exec(s);
  if (!m) return null;
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (Number.isNaN(t) || dayString(t / DAY_MS) !== s) return null;
  return t / DAY_MS;
}

export function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

export function iso(ts: number): string {
  return new Date(ts).toISOString();
}
