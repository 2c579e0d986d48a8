import type { Deps } from '../../deps.js';
import { toMicros } from '../../domain/money.js';
import { readSetting, writeSetting } from '../../infra/db/repos/settings.js';
import { pruneHourly, writeHourly } from '../../infra/db/repos/usage-hourly.js';
import type { StepOutcome } from './step-outcome.js';

/** When the hourly history's last successful read started (portal_settings, shared by every instance). */
export const HOURLY_READ = 'sync.hourly.lastRead';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** CRS keeps hourly buckets 7 days (docs/crs.md §7.4); the portal keeps a day more, for a whole 7-day view. */
const CRS_KEEPS_MS = 7 * DAY_MS;
const PORTAL_KEEPS_MS = 8 * DAY_MS;
/** CRS refuses an hourly range over 24 h (docs/crs.md §5.7). */
const SPAN_MS = 24 * HOUR_MS;

/**
 * Copies CRS's per-key hourly trend into usage_hourly, like the daily one into usage_daily. Each cycle reads from
 * the hour before its last read to now (one call, an hour or two of buckets); the first run, one after a gap, and
 * the sync's full run (once a day, or asked for: like the daily trend's 31 days) read what CRS still keeps, 24 h
 * per call: at most 8 calls.
 */
export async function syncHourly(deps: Deps, full = false): Promise<StepOutcome> {
  const { db } = deps.database;
  const now = deps.clock();
  const last = full ? undefined : await readSetting(db, HOURLY_READ);
  const floor = now.getTime() - CRS_KEEPS_MS;
  // From the start of the hour before the last read: its hour may have grown after it, and clocks differ a little.
  let from = last ? Math.floor(Date.parse(last) / HOUR_MS) * HOUR_MS - HOUR_MS : floor;
  if (!(from >= floor)) from = floor;
  const changedUsers = new Set<string>();
  let calls = 0;
  for (let start = from; start < now.getTime(); start += SPAN_MS) {
    const end = Math.min(start + SPAN_MS, now.getTime());
    calls++;
    await deps.crs.keysHourlyTrend(new Date(start).toISOString(), new Date(end).toISOString(), async (entries) => {
      const rows = entries.map((e) => ({
        crsKeyId: e.keyId,
        hour: e.date,
        requests: e.requests,
        tokens: e.tokens,
        costMicros: toMicros(e.cost),
      }));
      for (const u of await writeHourly(db, rows)) changedUsers.add(u);
    });
  }
  await pruneHourly(db, new Date(now.getTime() - PORTAL_KEEPS_MS));
  // Only once every span is in: a failed read is read again from the same hour next cycle.
  await writeSetting(db, HOURLY_READ, now.toISOString(), now);
  return { changedUsers, crsCalls: calls };
}
