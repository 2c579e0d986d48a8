import type { JobRow } from '../../infra/db/repos/jobs.js';

const DAY_MS = 86_400_000;
/** The trend a regular cycle reads: today and yesterday, in CRS's days. */
const TREND_DAYS = 2;

export interface TotalsPolicy {
  /** SYNC_TOTALS_INTERVAL in ms (0: every cycle). */
  intervalMs: number;
  /** CRS_TIMEZONE_OFFSET: the trend's days are CRS's. */
  timezoneOffset: number;
  /** CRS_SYNC_TIMEOUT_MS: the latest the trend of a cycle starting now can be read. */
  readWithinMs: number;
}

const crsDay = (ms: number, offsetHours: number) => Math.floor((ms + offsetHours * 3_600_000) / DAY_MS);

/**
 * Whether a cycle starting `at` reads CRS's lifetime totals (usage-stats), or lets each key's totals grow by what
 * its daily rows grow (docs/decisions/032). The increments are exact as long as every change since the last
 * successful cycle lies in a day the trend covers; otherwise — and on a full cycle, past the interval, or when
 * the last cycle asked for it — the totals are read. (A cycle that finds a portal key missing from the list reads
 * them anyway: run-sync.ts.)
 */
export function readsTotals(prev: JobRow | undefined, at: Date, full: boolean, p: TotalsPolicy): boolean {
  if (full || p.intervalMs === 0 || !prev?.lastTotalsAt || !prev.lastSuccessAt || prev.totalsDue) return true;
  if (at.getTime() - prev.lastTotalsAt.getTime() >= p.intervalMs) return true;
  // The trend is read at the latest `readWithinMs` from now; its first day must not be later than the day the
  // last successful cycle began on, or changes made after that cycle's read on an earlier day would be lost.
  const firstDay = crsDay(at.getTime() + p.readWithinMs, p.timezoneOffset) - (TREND_DAYS - 1);
  return crsDay(prev.lastSuccessAt.getTime(), p.timezoneOffset) < firstDay;
}
