import { runMode } from '../../config.js';
import type { Deps } from '../../deps.js';
import type { CacheEntry, Fetched, NamespaceName } from '../../infra/cache/types.js';
import { insertAudit } from '../../infra/db/repos/audit.js';
import type { JobRow } from '../../infra/db/repos/jobs.js';
import type { AccountsService } from '../accounts/index.js';
import { isAppError } from '../errors.js';
import { createAdminKeys } from '../keys/admin-keys.js';
import { createAlerts } from './alerts.js';
import { createInvites } from './invites.js';
import { createAdminUsers } from './users.js';

export type AdminService = ReturnType<typeof createAdmin>;

/** What the admin needs of the usage sync (src/jobs/sync, built before this): its state, and a run on demand. */
export interface SyncControl {
  status(): Promise<JobRow | undefined>;
  runNow(opts: { full?: boolean }): Promise<unknown>;
  readonly running: boolean;
  /** Failed runs in a row seen by this process. */
  readonly failuresInARow: number;
}

/** The operator's views: global overview, users and invites, cache statistics and purge, sync on demand. */
export function createAdmin(deps: Deps, sync: SyncControl, accounts: AccountsService) {
  const users = createAdminUsers(deps, accounts);
  const invites = createInvites(deps);
  const alerts = createAlerts(deps);
  const keys = createAdminKeys(deps);

  function cacheStats() {
    const counters = deps.cache.counters();
    let hits = 0;
    let reads = 0;
    for (const c of Object.values(counters)) {
      hits += c.hits;
      reads += c.hits + c.misses;
    }
    return { hitRate: reads ? hits / reads : 0, namespaces: counters };
  }

  /**
   * A CRS read through its cache namespace: the last good value (marked stale) while CRS is down, otherwise
   * the failure in words.
   */
  async function throughCache<T>(
    entry: CacheEntry<Fetched<T>>,
    fetch: () => Promise<T>,
    what: string,
  ): Promise<{ data: T; asOf: string; stale: boolean } | { error: string; stale: true }> {
    try {
      const { value, stale } = await entry.getOrLoad(async () => ({
        data: await fetch(),
        fetchedAt: deps.clock().toISOString(),
      }));
      return { data: value.data, asOf: value.fetchedAt, stale };
    } catch (e) {
      return { error: isAppError(e) ? e.message : `${what} unavailable`, stale: true };
    }
  }

  /**
   * CRS's dashboard. Its `tokensToday` counts input + output only (docs/crs.md §4.5) while every other token
   * figure includes cache tokens: `tokensToday` here is all four, with CRS's figure kept as `ioTokensToday`.
   */
  async function crsDashboard() {
    const r = await throughCache(deps.cache.entries.crsDashboard(), () => deps.crs.dashboard(), 'CRS dashboard');
    if (!('data' in r)) return r;
    const d = r.data;
    const tokensToday = d.inputTokensToday + d.outputTokensToday + d.cacheCreateTokensToday + d.cacheReadTokensToday;
    return { ...d, tokensToday, ioTokensToday: d.tokensToday, asOf: r.asOf, stale: r.stale };
  }

  /** CRS's global daily trend (all keys, 30 days): cheap for CRS, cached 5 minutes. */
  async function crsTrend() {
    const r = await throughCache(deps.cache.entries.crsTrend(), () => deps.crs.usageTrend(30), 'CRS trend');
    return 'data' in r ? { days: r.data, asOf: r.asOf, stale: r.stale } : { days: [], ...r };
  }

  async function syncStatus() {
    const row = await sync.status();
    return {
      lastRunAt: row?.lastRunAt?.toISOString() ?? null,
      lastSuccessAt: row?.lastSuccessAt?.toISOString() ?? null,
      lastDurationMs: row?.lastDurationMs ?? null,
      lastError: row?.lastError ?? null,
      keysUpdated: row?.keysUpdated ?? null,
      running: sync.running,
      intervalSeconds: deps.config.syncIntervalSec,
      row,
    };
  }

  return {
    users,
    invites,
    alerts,
    keys,
    async overview() {
      const [crs, trend, portal, { row, ...syncView }] = await Promise.all([
        crsDashboard(),
        crsTrend(),
        users.counts(),
        syncStatus(),
      ]);
      const current = await alerts.evaluate({ row, failuresInARow: sync.failuresInARow });
      return {
        crs,
        crsTrend: trend,
        portal,
        sync: syncView,
        cache: cacheStats(),
        alerts: current,
        mode: runMode(deps.config),
      };
    },
    cacheStats,
    async purge(actorId: string, namespace?: NamespaceName) {
      const names: NamespaceName[] = namespace
        ? [namespace]
        : ['crs:dashboard', 'crs:trend', 'crs:key-stats', 'keys', 'stats', 'auth'];
      let deleted = 0;
      for (const ns of names) deleted += await deps.cache.invalidateNamespace(ns);
      await insertAudit(deps.database.db, {
        actorUserId: actorId,
        action: 'cache.purge',
        targetType: 'cache',
        details: { namespaces: names, deleted },
      });
      return { deleted };
    },
    syncNow(full = false) {
      void sync.runNow({ full }).catch(() => {});
    },
  };
}
