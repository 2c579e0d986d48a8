import type { Deps } from './deps.js';
import { type AccountsService, createAccounts } from './domain/accounts/index.js';
import { type AdminService, createAdmin } from './domain/admin/index.js';
import { AnswerBytes } from './domain/answer-bytes.js';
import { createKeys, type KeysService } from './domain/keys/index.js';
import { createLimits, type Limits } from './domain/limits.js';
import { createMeters, type MetersService } from './domain/meters/index.js';
import { createNotifications, type NotificationsService } from './domain/notifications/index.js';
import { meteredLimitUsage } from './domain/notifications/limit-usage.js';
import { exportUsage } from './domain/usage/export.js';
import { createFreshness, type FreshnessSource } from './domain/usage/freshness.js';
import { createStats, type StatsService } from './domain/usage/index.js';
import { createKeyDetails } from './domain/usage/key-details.js';
import { createMeSummary, type MeSummaryService } from './domain/usage/me-summary.js';
import { createNotifier } from './infra/notify/index.js';
import { createOidcClient } from './infra/oidc/client.js';
import { sharedCounters } from './infra/rate-limit/index.js';
import { createJobs, type Jobs } from './jobs/index.js';
import { createSyncJob, type SyncJob } from './jobs/sync/index.js';
import { notifyStep } from './jobs/sync/notify-step.js';

/** The composition root of the domain: one instance of each service, sharing the deps. */
export interface Services {
  accounts: AccountsService;
  freshness: FreshnessSource;
  keys: KeysService;
  stats: StatsService;
  keyDetails: ReturnType<typeof createKeyDetails>;
  /** The status-bar summary (/api/me/summary). */
  meSummary: MeSummaryService;
  sync: SyncJob;
  /** The lease and the scheduled jobs: built here, started by the start path once the port is bound. */
  jobs: Jobs;
  admin: AdminService;
  /** Budgets over the counters every instance shares (the per-user key-write limit of the HTTP layer). */
  limits: Limits;
  /** Each key's limit meters (docs/product.md §2.4), for /api/me/summary and notifications. */
  meters: MetersService;
  /** Events, delivery, preferences and channels (issue 14). */
  notifications: NotificationsService;
  exporter: (userId: string, q: Parameters<typeof exportUsage>[2]) => ReturnType<typeof exportUsage>;
}

/**
 * Each service is built from what it needs, after what it needs: the read models, then the sync that refreshes
 * them, then the admin (which shows and starts the sync) and the jobs (which schedule it).
 */
export function createServices(deps: Deps): Services {
  const counters = sharedCounters({ db: deps.database.db, redis: deps.cache.shared, logger: deps.logger });
  const oidc = deps.config.oidc && createOidcClient(deps.config.oidc);
  const accounts = createAccounts(deps, counters, oidc);
  const limits = createLimits(counters, deps.clock);
  const freshness = createFreshness(deps);
  // The warm answers' bytes, shared by the key list and the stats reads: at most half the memory tier's budget.
  const bytes = new AnswerBytes((deps.config.cacheMemoryMb * 2 ** 20) / 2);
  const keys = createKeys(deps, freshness, bytes);
  const stats = createStats(deps, freshness, bytes);
  const keyDetails = createKeyDetails(deps);
  const meters = createMeters(deps);
  const meSummary = createMeSummary(deps, freshness, meters, bytes);
  const exporter: Services['exporter'] = (userId, q) => exportUsage(deps, userId, q);
  const notifications = createNotifications(deps, {
    notifier: createNotifier(deps.config.notify),
    limits,
    limitUsage: meteredLimitUsage(deps, meters),
  });
  const sync = createSyncJob(deps, { freshness, stats, keys }, { afterCycle: notifyStep(notifications.events, deps) });
  const admin = createAdmin(deps, sync, accounts);
  const jobs = createJobs(deps, sync, admin.alerts, accounts, notifications);
  return {
    accounts,
    freshness,
    keys,
    stats,
    keyDetails,
    meSummary,
    sync,
    jobs,
    admin,
    limits,
    meters,
    notifications,
    exporter,
  };
}
