import type { Deps } from '../deps.js';
import type { Deliverer } from '../domain/notifications/deliver.js';
import type { ScheduledJob } from './lease.js';

/**
 * Notification delivery on the leader (docs/decisions/016, 030): every NOTIFY_DELIVERY_INTERVAL the instance that
 * leads sends what is due. Rows are claimed one by one with a lease, so a run overlapping another instance's
 * (a leader change) sends nothing twice except what a dead instance had in flight.
 */
export function notifyDeliveryJob(
  deliverer: Pick<Deliverer, 'runOnce'>,
  deps: Pick<Deps, 'config' | 'logger'>,
): ScheduledJob {
  return {
    name: 'notify-delivery',
    intervalMs: () => deps.config.notify.deliveryIntervalMs,
    async run() {
      try {
        const { sent, failed } = await deliverer.runOnce();
        if (sent || failed) deps.logger.info({ sent, failed }, 'notifications: delivery run');
      } catch (err) {
        deps.logger.warn({ err: (err as Error).message }, 'notifications: delivery run failed; retried next run');
      }
    },
    missed(err) {
      deps.logger.warn({ err: err.message }, 'notification delivery missed: the database did not answer');
    },
  };
}
