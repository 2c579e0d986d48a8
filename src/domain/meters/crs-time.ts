/**
 * When CRS's limits reset, in CRS's timezone (docs/crs.md §7.1): its day at local midnight, its weekly Opus cost
 * at the key's reset day and hour. Pure functions of an instant and CRS's offset, so the sync (which stamps the
 * week a figure belongs to) and the meters (which decide whether it still counts) agree.
 */
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** The next CRS midnight after `now`: when a daily cost limit starts again. */
export function nextCrsMidnight(now: Date, offsetHours: number): Date {
  const off = offsetHours * HOUR_MS;
  return new Date((Math.floor((now.getTime() + off) / DAY_MS) + 1) * DAY_MS - off);
}

/**
 * The start of the CRS week containing `now` for a key that resets on `resetDay` (1 = Monday … 7 = Sunday) at
 * `resetHour`, CRS-local: the last such moment at or before `now` (CRS's own rule, docs/crs.md §9.2).
 */
export function opusWeekStart(now: Date, resetDay: number, resetHour: number, offsetHours: number): Date {
  const off = offsetHours * HOUR_MS;
  const local = now.getTime() + off;
  const dow = new Date(local).getUTCDay();
  const target = resetDay % 7;
  let start = Math.floor(local / DAY_MS) * DAY_MS - ((dow - target + 7) % 7) * DAY_MS + resetHour * HOUR_MS;
  if (start > local) start -= 7 * DAY_MS;
  return new Date(start - off);
}

/** When the week containing `now` ends: the next reset. */
export function nextOpusReset(now: Date, resetDay: number, resetHour: number, offsetHours: number): Date {
  return new Date(opusWeekStart(now, resetDay, resetHour, offsetHours).getTime() + 7 * DAY_MS);
}
