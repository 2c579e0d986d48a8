import type { Deps } from '../../deps.js';
import type { Alert } from './alert.js';

/**
 * CRS buckets every day in its own timezone (docs/crs.md, quirk 8); a CRS_TIMEZONE_OFFSET that differs from
 * what CRS reports puts every portal day in the wrong place. Checked at start and on each sync through the
 * dashboard's cache namespace (at most one CRS call a minute, shared with the admin overview).
 */
const mismatches = new WeakMap<Deps, Alert | null>();

export async function checkCrsTimezone(deps: Deps): Promise<Alert | null> {
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
  if (alert && !before) deps.logger.warn({ alert: alert.name, reported, configured }, alert.message);
  deps.metrics.alerts.set({ alert: 'crs_timezone_mismatch' }, alert ? 1 : 0);
  return alert;
}

/** The latest check's finding (health and the alert list read it). */
export const crsTimezoneMismatch = (deps: Deps): Alert | null => mismatches.get(deps) ?? null;

const sign = (h: number) => (h >= 0 ? `+${h}` : String(h));
