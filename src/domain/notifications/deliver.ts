import type { Deps } from '../../deps.js';
import {
  type ClaimedDelivery,
  claimDue,
  completeDelivery,
  type DeliveryOutcome,
  pauseChannel,
  purgeOld,
  recordChannelAttempt,
} from '../../infra/db/repos/notify-claims.js';
import { cancelDeliveries } from '../../infra/db/repos/notify-outbox.js';
import {
  DEFAULT_RETRY_POLICY,
  failed,
  type Notifier,
  nextStep,
  type RetryPolicy,
  type SendResult,
  shouldPause,
} from '../../infra/notify/index.js';
import type { Language } from '../../infra/notify/types.js';
import { type Composer, channelOf } from './compose.js';
import { readDefaults } from './defaults.js';
import { formDigests } from './digests.js';
import type { Outbox } from './outbox.js';
import { LANGUAGES } from './types.js';

const BATCH = 20;
const CONCURRENCY = 4;
const DAY_MS = 86_400_000;

export interface DelivererOptions {
  notifier: Notifier;
  outbox: Outbox;
  compose: Composer;
  /** Who claims (the lease's instance id): only the holder of a claim writes its outcome. */
  holder: string;
  policy?: RetryPolicy;
}

/**
 * The delivery job's work (docs/decisions/030), run on the sync leader on a schedule: due digests are formed,
 * then due rows are claimed a batch at a time and sent, each outcome written by the claim's holder. Delivery is
 * at least once: a claimer that dies after sending leaves a row whose lease runs out, and another instance sends
 * it again with the same event id (receivers de-duplicate on it). A channel's own failures in a row pause it,
 * cancel what it still had to send and tell its owner on their other channels.
 */
export function createDeliverer(
  deps: Pick<Deps, 'database' | 'clock' | 'config' | 'metrics' | 'logger'>,
  o: DelivererOptions,
) {
  const { db } = deps.database;
  const policy = o.policy ?? DEFAULT_RETRY_POLICY;
  // Past this the claim is another instance's to take: an attempt's steps each have NOTIFY_TIMEOUT_MS (an SMTP
  // dialogue has several), plus a margin for rendering and writing the outcome.
  const leaseMs = 3 * deps.config.notify.timeoutMs + 5_000;
  const log = deps.logger.child({ component: 'notify' });
  let running: Promise<{ sent: number; failed: number }> | undefined;

  async function attempt(d: ClaimedDelivery, language: Language): Promise<SendResult> {
    const channel = channelOf(d.channelType, d.target, d.email);
    if (!channel) return failed(`unknown channel type ${d.channelType}`, false);
    try {
      const message = await o.compose(db, { ...d, language });
      return await o.notifier.send(channel, message);
    } catch (err) {
      // Rendering or the database failed here, not the channel: try again later, without counting it.
      return failed(`could not prepare the message: ${(err as Error).message}`, true, { scope: 'service' });
    }
  }

  async function record(d: ClaimedDelivery, result: SendResult): Promise<void> {
    const now = deps.clock();
    const step = nextStep(result, d.attempts, now, policy);
    const outcome: DeliveryOutcome =
      step.action === 'delivered'
        ? { state: 'delivered', error: null }
        : step.action === 'retry'
          ? { state: 'pending', nextAttemptAt: step.at, error: result.ok ? null : result.error }
          : { state: 'failed', error: result.ok ? null : result.error };
    const label = step.action === 'give_up' ? 'failed' : step.action;
    await deps.database.transaction(async (tx) => {
      if (!(await completeDelivery(tx, d.id, o.holder, outcome, now))) return; // the claim was taken over
      deps.metrics.notifyDeliveries.inc({ channel: d.channelType, outcome: label });
      if (!d.channelId) return;
      const scope = result.ok ? 'ok' : result.scope;
      const run = await recordChannelAttempt(tx, d.channelId, scope, now);
      if (run?.status !== 'active') return;
      // The statement counted the run as `consecutiveFailures` does (decision 023); a pause needs a failure of its own.
      if (scope !== 'channel' || !shouldPause(run.failures, policy)) return;
      if (!(await pauseChannel(tx, d.channelId, outcome.error ?? 'failing', now))) return;
      deps.metrics.notifyChannelsPaused.inc({ channel: d.channelType });
      await cancelDeliveries(tx, d.channelId, 'channel paused', now);
      await o.outbox.raiseIn(
        tx,
        [
          {
            event: {
              kind: 'channel_paused',
              channel: { type: d.channelType, label: d.channelLabel },
              failures: run.failures,
              error: outcome.error ?? '',
            },
            userId: d.userId,
          },
        ],
        { exceptChannel: d.channelId },
      );
      log.warn({ channel: d.channelId, type: d.channelType, failures: run.failures }, 'notification channel paused');
    });
  }

  async function one(d: ClaimedDelivery, language: Language): Promise<boolean> {
    if (!d.channelId || d.channelStatus !== 'active') {
      const now = deps.clock();
      const reason = d.channelId ? 'channel paused' : 'channel deleted';
      if (await completeDelivery(db, d.id, o.holder, { state: 'cancelled', error: reason }, now)) {
        deps.metrics.notifyDeliveries.inc({ channel: d.channelType, outcome: 'cancelled' });
      }
      return false;
    }
    const result = await attempt(d, language);
    await record(d, result);
    if (!result.ok)
      log.info({ delivery: d.id, attempt: d.attempts, error: result.error }, 'notification not delivered');
    return result.ok;
  }

  async function drain(): Promise<{ sent: number; failed: number }> {
    const totals = { sent: 0, failed: 0 };
    await formDigests(deps).catch((err: Error) => log.warn({ err: err.message }, 'digests left for later'));
    const defaults = await readDefaults(db);
    for (;;) {
      const claimed = await claimDue(db, o.holder, deps.clock(), { limit: BATCH, leaseMs });
      const queue = [...claimed];
      const worker = async () => {
        for (let d = queue.shift(); d; d = queue.shift()) {
          const language = LANGUAGES.find((l) => l === d.language) ?? defaults.language;
          // A row whose outcome could not be written stays claimed: its lease runs out and it is sent again.
          const ok = await one(d, language).catch((err: Error) => {
            log.warn(
              { delivery: d.id, err: err.message },
              'notification outcome not recorded; retried after its lease',
            );
            return false;
          });
          ok ? totals.sent++ : totals.failed++;
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      if (claimed.length < BATCH) break;
    }
    const cutoff = new Date(deps.clock().getTime() - deps.config.notify.logDays * DAY_MS);
    await purgeOld(db, cutoff, deps.clock());
    return totals;
  }

  return {
    /** Sends everything due now; a run already going in this process is joined, not doubled. */
    runOnce(): Promise<{ sent: number; failed: number }> {
      running ??= drain().finally(() => {
        running = undefined;
      });
      return running;
    },
  };
}

export type Deliverer = ReturnType<typeof createDeliverer>;
