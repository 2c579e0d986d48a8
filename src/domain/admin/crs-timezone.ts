import type { Deps } from '../../deps.js';
import type { Alert } from './alert.js';

/**
 * CRS buckets every day in its own timezone (docs/crs.md, quirk 8); a CRS_TIMEZONE_OFFSET that differs from
 * what CRS reports puts every portal day in the wrong place. Only CRS's dashboard says its timezone, and the
 * dashboard scans CRS's whole keyspace (tens of seconds at 100,000 keys, docs/crs.md §8): checked at start, then
 * at most once an hour (the sync and the alert evaluation ask every cycle), through the dashboard's cache
 * namespace shared with the admin overview.
 */
const mismatches = new WeakMap<Deps, Alert | null>();
const checkedAt = new WeakMap<Deps, number>();
const inFlight = new WeakMap<Deps, Promise<Alert | null>>();
const CHECK_EVERY_MS = 3_600_000;

/** The current finding; a check is made when the last one is an hour old (one at a time: callers share it). */
export function checkCrsTimezone(deps: Deps): Promise<Alert | null> {
  const running = inFlight.get(deps);
  if (running) return running;
  const last = checkedAt.get(deps);
  if (last !== undefined && deps.clock().getTime() - last < CHECK_EVERY_MS) {
    return Promise.resolve(crsTimezoneMismatch(deps));
  }
  const check = compare(deps).finally(() => inFlight.delete(deps));
  inFlight.set(deps, check);
  return check;
}

async function compare(deps: Deps): Promise<Alert | null> {
  const { value } = await deps.cache.entries.crsDashboard().getOrLoad(async () => ({
    data: await deps.crs.dashboard(),
    fetchedAt: deps.clock().toISOString(),
  }));
  const reported = value.data.timezoneOffset;
  const configured = deps.config.crs.timezoneOffset;
  const alert: Alert | null =
    reported === configured
      ? null
      : {
          name: 'crs_timezone_mismatch',
          message: `CRS reports UTC${sign(reported)} but CRS_TIMEZONE_OFFSET is ${configured}: portal days are misplaced`,
        };
  const before = mismatches.get(deps);
  mismatches.set(deps, alert);
  checkedAt.set(deps, deps.clock().getTime());
  if (alert && !before) deps.logger.warn({ alert: alert.name, reported, configured }, alert.message);
  deps.metrics.alerts.set({ alert: 'crs_timezone_mismatch' }, alert ? 1 : 0);
  return alert;
}

/** The latest check's finding (health and the alert list read it). */
export const crsTimezoneMismatch = (deps: Deps): Alert | null => mismatches.get(deps) ?? null;

const sign = (h: number) => (h >= 0 ? `+${h}` : String(h));
