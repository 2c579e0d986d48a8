import type { Deps } from '../../deps.js';
import { readJob } from '../../infra/db/repos/jobs.js';

export const USAGE_SYNC_JOB = 'usage-sync';

export interface Freshness {
  /** When the usage data was last brought up to date with CRS (the last successful sync), or null. */
  asOf: string | null;
  /** True when the last sync failed or the data is older than three sync intervals (CRS down). */
  stale: boolean;
}

/**
 * The freshness every stats answer carries, from the sync's shared state row. Read at most once a second per
 * process: the row is tiny, but stats reads are hot.
 */
export function createFreshness(deps: Pick<Deps, 'database' | 'clock' | 'config'>) {
  let cached: { at: number; value: Promise<Freshness>; settled?: Freshness; previous?: Freshness } | undefined;
  const load = async (): Promise<Freshness> => {
    const row = await readJob(deps.database.db, USAGE_SYNC_JOB);
    if (!row?.lastSuccessAt) return { asOf: null, stale: Boolean(row?.lastError) };
    const age = deps.clock().getTime() - row.lastSuccessAt.getTime();
    const failing = Boolean(row.lastError) && (row.lastRunAt?.getTime() ?? 0) >= row.lastSuccessAt.getTime();
    return { asOf: row.lastSuccessAt.toISOString(), stale: failing || age > 3 * deps.config.syncIntervalSec * 1000 };
  };
  function get(): Promise<Freshness> {
    const now = Date.now();
    if (!cached || now - cached.at > 1000) {
      const value = load();
      // The last value answered while this one loads (current); a failed load keeps it no longer than before.
      const entry: NonNullable<typeof cached> = { at: now, value, previous: cached?.settled ?? cached?.previous };
      cached = entry;
      value.then(
        (v) => {
          entry.settled = v;
        },
        () => {
          if (cached === entry) cached = undefined;
        },
      );
    }
    return cached.value;
  }
  return {
    get,
    /**
     * The same value synchronously. Past its second it starts the reload and still answers the value it has until
     * the new one arrives — otherwise every warm read during the reload's round trip (dozens at load) would wait
     * for it on the slow path (docs/decisions/008). Undefined only before the first load and after `reset`.
     */
    current(): Freshness | undefined {
      if (!cached) return undefined;
      const known = cached.settled ?? cached.previous;
      if (Date.now() - cached.at > 1000 && known) {
        void get();
        return cached.settled ?? known;
      }
      return known;
    },
    /** After a sync run, so the next answer reflects it at once. */
    reset() {
      cached = undefined;
    },
  };
}

export type FreshnessSource = ReturnType<typeof createFreshness>;
