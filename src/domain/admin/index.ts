import type { Deps } from '../../deps.js';
import type { NamespaceName } from '../../infra/cache/types.js';
import type { SyncJob } from '../../jobs/sync/index.js';
import type { AccountsService } from '../accounts/index.js';
import { audit } from '../audit.js';
import { isAppError } from '../errors.js';
import { createAlerts } from './alerts.js';
import { createAdminUsers } from './users.js';

export type AdminService = ReturnType<typeof createAdmin>;

/** The operator's views: global overview, users and invites, cache statistics and purge, sync on demand. */
export function createAdmin(deps: Deps, sync: SyncJob, accounts: AccountsService) {
  const users = createAdminUsers(deps, accounts);
  const alerts = createAlerts(deps);

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

  /** CRS's dashboard through the cache: the last good one (stale) while CRS is down, else an error in words. */
  async function crsDashboard() {
    try {
      const { value, stale } = await deps.cache.crsDashboard.getOrLoad(['global'], async () => ({
        data: await deps.crs.dashboard(),
        fetchedAt: deps.clock().toISOString(),
      }));
      return { ...value.data, asOf: value.fetchedAt, stale };
    } catch (e) {
      return { error: isAppError(e) ? e.message : 'CRS dashboard unavailable', stale: true };
    }
  }

  /** CRS's global daily trend (all keys, 30 days) through `crs:trend`: cheap for CRS, cached 5 minutes. */
  async function crsTrend() {
    try {
      const { value, stale } = await deps.cache.crsTrend.getOrLoad(['30d'], async () => ({
        data: await deps.crs.usageTrend(30),
        fetchedAt: deps.clock().toISOString(),
      }));
      return { days: value.data, asOf: value.fetchedAt, stale };
    } catch (e) {
      return { days: [], error: isAppError(e) ? e.message : 'CRS trend unavailable', stale: true };
    }
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
    alerts,
    async overview() {
      const [crs, trend, portal, { row, ...syncView }] = await Promise.all([
        crsDashboard(),
        crsTrend(),
        users.counts(),
        syncStatus(),
      ]);
      const current = await alerts.evaluate(row);
      return {
        crs,
        crsTrend: trend,
        portal,
        sync: syncView,
        cache: cacheStats(),
        alerts: current,
        mode: deps.config.demo ? ('demo' as const) : ('production' as const),
      };
    },
    cacheStats,
    async purge(actorId: string, namespace?: NamespaceName) {
      const names: NamespaceName[] = namespace
        ? [namespace]
        : ['crs:dashboard', 'crs:trend', 'crs:key-stats', 'keys', 'stats', 'auth'];
      let deleted = 0;
      for (const ns of names) deleted += await deps.cache.invalidateNamespace(ns);
      await audit(deps.database.db, {
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
