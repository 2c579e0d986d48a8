import type { Deps } from '../../deps.js';
import { lowerMarks } from '../../infra/db/repos/notify-outbox.js';
import type { Alert } from '../admin/alert.js';
import { ALERT_THRESHOLDS } from '../admin/alerts.js';
import type { AlertName, NotificationEvent } from './messages/index.js';
import type { Outbox } from './outbox.js';
import type { RaisedEvent } from './types.js';

/** Why a sync cycle failed, as far as the admins' events tell it apart. */
export type SyncFailureCause = 'crs_unreachable' | 'crs_credentials_rejected' | 'sync_failing';

export type CycleOutcome =
  | { ok: true }
  | { ok: false; cause: SyncFailureCause; reason: string; failuresInARow: number; since: Date };

const SYNC_CONDITIONS: SyncFailureCause[] = ['sync_failing', 'crs_unreachable', 'crs_credentials_rejected'];
const ALERTS: AlertName[] = ['cache_hit_rate_low', 'redis_memory_high', 'route_latency_high'];
const subject = (name: string) => `condition:${name}`;
const isNotified = (a: Alert): a is Alert & { name: AlertName } => (ALERTS as string[]).includes(a.name);

/**
 * The admins' events (issue 14): a condition is raised when it starts (the mark's level goes 0 → 1) and lowered
 * when it clears; a condition that clears and starts again within the cool-down is not raised again, so a
 * flapping alert sends one message per cool-down (docs/decisions/029). Raised on the leader only: after each sync
 * cycle for the sync and CRS, after each alert evaluation for the portal's alert conditions.
 */
export function createAdminEvents(deps: Pick<Deps, 'database' | 'config'>, outbox: Outbox) {
  const { db } = deps.database;
  const cooldownMs = deps.config.notify.cooldownMs;
  const condition = (name: string, event: NotificationEvent): RaisedEvent => ({
    event,
    mark: { subject: subject(name), level: 1, cooldownMs },
  });

  return {
    /** The sync's own conditions, judged after each cycle: failing twice in a row, as the alert says. */
    async afterCycle(outcome: CycleOutcome): Promise<number> {
      if (outcome.ok) {
        await lowerMarks(db, SYNC_CONDITIONS.map(subject));
        return 0;
      }
      if (outcome.failuresInARow < ALERT_THRESHOLDS.syncFailuresInARow) return 0;
      const { since, reason } = outcome;
      const event: NotificationEvent =
        outcome.cause === 'crs_credentials_rejected'
          ? { kind: 'crs_credentials_rejected', since }
          : outcome.cause === 'crs_unreachable'
            ? { kind: 'crs_unreachable', since, reason }
            : { kind: 'sync_failing', failures: outcome.failuresInARow, since, reason };
      return outbox.raise([condition(outcome.cause, event)]);
    },

    /** The portal's alert conditions (hit rate, Redis memory, latency) of one evaluation. */
    async afterAlerts(alerts: Alert[]): Promise<number> {
      const firing = new Map(alerts.filter(isNotified).map((a) => [a.name, a]));
      await lowerMarks(
        db,
        ALERTS.filter((n) => !firing.has(n)).map((n) => subject(`alert:${n}`)),
      );
      const raised: RaisedEvent[] = [];
      for (const [name, a] of firing) {
        const event: NotificationEvent = {
          kind: 'alert',
          alert: name,
          value: a.value ?? 0,
          threshold: a.threshold ?? 0,
          ...(a.where ? { where: a.where } : {}),
        };
        raised.push(condition(`alert:${name}`, event));
      }
      return raised.length ? outbox.raise(raised) : 0;
    },
  };
}
