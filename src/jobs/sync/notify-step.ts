import type { Deps } from '../../deps.js';
import type { NotificationsService, SyncFailureCause } from '../../domain/notifications/index.js';
import { CREDENTIALS_REJECTED } from '../../infra/crs/failures.js';
import type { SyncReport, SyncSteps } from './index.js';

/**
 * The sync's notification step (issue 14), after each cycle's transaction and outside its lock: a cycle that
 * succeeded clears the sync and CRS conditions and raises the key events its data reveals (limits crossed,
 * expiry steps, the operator's changes it audited); one that failed tells the admins why, once it has failed as
 * often in a row as the `sync_failing` alert needs. Its own failures are logged and never fail the sync: what it
 * missed, the next cycle raises (marks and the audit cursor make that safe, docs/decisions/029).
 */
export function notifyStep(
  events: Pick<NotificationsService['events'], 'afterSync' | 'afterCycle'>,
  deps: Pick<Deps, 'clock' | 'logger'>,
): NonNullable<SyncSteps['afterCycle']> {
  /** When the current run of failures began, as this process saw it. */
  let since: Date | undefined;
  return async (report: SyncReport, failuresInARow: number) => {
    try {
      if (report.ok) {
        since = undefined;
        await events.afterCycle({ ok: true });
        const { raised } = await events.afterSync();
        if (raised) deps.logger.info({ raised }, 'notifications: events raised after the sync');
      } else {
        since ??= deps.clock();
        await events.afterCycle({
          ok: false,
          cause: causeOf(report),
          reason: report.error ?? 'unknown',
          failuresInARow,
          since,
        });
      }
    } catch (err) {
      deps.logger.warn({ err: (err as Error).message }, 'notifications: events left for the next cycle');
    }
  };
}

export function causeOf(report: Pick<SyncReport, 'error' | 'errorCode'>): SyncFailureCause {
  if (report.error === CREDENTIALS_REJECTED) return 'crs_credentials_rejected';
  if (report.errorCode === 'upstream_unavailable') return 'crs_unreachable';
  return 'sync_failing';
}
