import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Deps } from '../../deps.js';
import type { Notifier, RetryPolicy } from '../../infra/notify/index.js';
import type { Limits } from '../limits.js';
import { createAdminEvents } from './admin-events.js';
import { createChannels } from './channels.js';
import { createComposer } from './compose.js';
import { createDeliverer } from './deliver.js';
import { createDeliveryLog } from './delivery-log.js';
import { createKeyEvents } from './key-events.js';
import { costUsageFromTables, type LimitUsageSource } from './limit-usage.js';
import { createOutbox } from './outbox.js';
import { createPreferences } from './preferences.js';
import { createUnsubscribe } from './unsubscribe.js';
import { createUnsubscribeTokens } from './unsubscribe-token.js';

export type { CycleOutcome, SyncFailureCause } from './admin-events.js';
export type { LimitUsageSource } from './limit-usage.js';
export type { NotificationSettings, SettingsPatch } from './preferences.js';
export * from './types.js';

export interface NotificationsOptions {
  /** The channels (decision 023), built by the composition root from the configuration. */
  notifier: Notifier;
  limits: Pick<Limits, 'spend'>;
  /** Where limit usage comes from: the meters in the composition root; the portal's own cost tables otherwise. */
  limitUsage?: LimitUsageSource;
  /** Tests shorten the retry schedule. */
  retryPolicy?: RetryPolicy;
}

/**
 * Notifications (issue 14): events raised into an outbox by the sync leader and the alert evaluation, delivered by
 * the leader's delivery job, and what users and admins choose — built once from the deps and the channels.
 */
export function createNotifications(deps: Deps, opts: NotificationsOptions) {
  const { notifier } = opts;
  const outbox = createOutbox(deps, notifier.emailEnabled);
  const tokens = createUnsubscribeTokens(deps);
  const compose = createComposer(deps, tokens);
  const channels = createChannels({ deps, notifier, compose, limits: opts.limits });
  const keyEvents = createKeyEvents(deps, outbox, opts.limitUsage ?? costUsageFromTables(deps));
  const adminEvents = createAdminEvents(deps, outbox);
  const deliverer = createDeliverer(deps, {
    notifier,
    outbox,
    compose,
    holder: `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`,
    policy: opts.retryPolicy,
  });
  return {
    settings: createPreferences(deps, channels, notifier.emailEnabled),
    channels,
    log: createDeliveryLog(deps),
    unsubscribe: createUnsubscribe(deps, tokens),
    /** What the sync leader and the alert evaluation call (src/jobs). */
    events: {
      afterSync: keyEvents.afterSync,
      afterCycle: adminEvents.afterCycle,
      afterAlerts: adminEvents.afterAlerts,
    },
    deliverer,
    close: () => notifier.close(),
  };
}

export type NotificationsService = ReturnType<typeof createNotifications>;
