import type { Deps } from '../deps.js';
import type { AccountsService } from '../domain/accounts/index.js';
import type { Alert, AlertsService } from '../domain/admin/alerts.js';
import type { NotificationsService } from '../domain/notifications/index.js';
import { databaseFailureCause } from '../infra/db/diagnose.js';
import type { JobRow } from '../infra/db/repos/jobs.js';
import { housekeepingJob } from './housekeeping.js';
import { createLeader, type Leader } from './lease.js';
import { notifyDeliveryJob } from './notify-delivery.js';
import type { SyncJob } from './sync/index.js';

/** Alert conditions are evaluated this often whether or not anyone looks (metrics + log warnings). */
const ALERT_EVERY_MS = 30_000;

export interface Jobs {
  leader: Leader;
  /** Starts the lease ticks (and the scheduled jobs on the leader) and the alert timer; after the port is bound. */
  start(): void;
  stop(): Promise<void>;
  /** One evaluation of the alert conditions, as the timer does it. */
  evaluateAlerts(): Promise<Alert[]>;
}

/**
 * The background work of one portal process: the jobs every instance schedules through the shared lease (only
 * the leader runs them) and the alert timer every instance runs for itself. Built with the services, started by
 * the start path once the HTTP port is bound (src/portal.ts).
 */
export function createJobs(
  deps: Deps,
  sync: SyncJob,
  alerts: AlertsService,
  accounts: Pick<AccountsService, 'purge'>,
  notifications: Pick<NotificationsService, 'deliverer' | 'events'>,
): Jobs {
  const leader = createLeader(deps, [
    sync.scheduled,
    housekeepingJob(accounts, deps.logger),
    notifyDeliveryJob(notifications.deliverer, deps),
  ]);
  let alertTimer: NodeJS.Timeout | undefined;
  /** The last job row read: while the database is down the judgement of the row stays what it was. */
  let lastRow: JobRow | undefined;

  async function evaluateAlerts(): Promise<Alert[]> {
    try {
      lastRow = await sync.status();
    } catch (err) {
      deps.logger.warn({ err: databaseFailureCause(err) }, 'alerts: the sync state could not be read');
    }
    const firing = await alerts.evaluate({ row: lastRow, failuresInARow: sync.failuresInARow });
    // Admin events come from the leader's evaluation only: one instance speaks for the deployment.
    if (leader.isLeader()) {
      await notifications.events
        .afterAlerts(firing)
        .catch((err: Error) => deps.logger.warn({ err: err.message }, 'notifications: alert events not raised'));
    }
    return firing;
  }

  return {
    leader,
    start() {
      leader.start();
      alertTimer ??= setInterval(() => {
        evaluateAlerts().catch((err: Error) => deps.logger.error({ err }, 'alert evaluation failed'));
      }, ALERT_EVERY_MS).unref();
    },
    async stop() {
      clearInterval(alertTimer);
      alertTimer = undefined;
      await leader.stop();
      await sync.stop();
    },
    evaluateAlerts,
  };
}
