import type { Deps } from '../../deps.js';
import type { Db } from '../../infra/db/client.js';
import { ensureEmailChannels, recipients } from '../../infra/db/repos/notify-channels.js';
import {
  type DeliveryInsert,
  type EventInsert,
  insertDeliveries,
  insertEvents,
  type MarkInput,
  raiseMarks,
} from '../../infra/db/repos/notify-outbox.js';
import { readDefaults } from './defaults.js';
import { audienceOf } from './messages/index.js';
import { newEventId, toPayload } from './payload.js';
import { deliveriesOf, type Recipient, toRecipients } from './routing.js';
import type { RaisedEvent } from './types.js';

export type OutboxDeps = Pick<Deps, 'database' | 'clock' | 'config' | 'metrics'>;

/**
 * The outbox (docs/decisions/029): an event is written with its delivery rows in one transaction, after its mark
 * says it is new. Whoever raises it — the sync leader after a cycle, the alert evaluation, a second instance, a
 * run repeated after a crash — the mark lets each crossing through once; the delivery job sends the rows later.
 */
export function createOutbox(deps: OutboxDeps, emailEnabled: boolean) {
  const offset = deps.config.crs.timezoneOffset;

  /** Writes the new ones among `items` and their deliveries in `tx`; answers the events written. */
  async function raiseIn(tx: Db, items: RaisedEvent[], opts: { exceptChannel?: string } = {}) {
    const now = deps.clock();
    const kept = strongestPerSubject(items);
    const marks: MarkInput[] = kept.flatMap((i) =>
      i.mark
        ? [
            {
              subject: i.mark.subject,
              level: i.mark.level,
              quietUntil: new Date(now.getTime() + (i.mark.cooldownMs ?? 0)),
              expiresAt: i.mark.expiresAt ?? null,
            },
          ]
        : [],
    );
    const raised = marks.length ? await raiseMarks(tx, marks, now) : new Set<string>();
    const fresh = kept.filter((i) => !i.mark || raised.has(i.mark.subject));
    if (!fresh.length) return [];

    const userIds = [...new Set(fresh.flatMap((i) => (i.userId ? [i.userId] : [])))];
    const forAdmins = fresh.some((i) => audienceOf(i.event) === 'admin');
    if (emailEnabled) {
      if (userIds.length) await ensureEmailChannels(tx, { userIds });
      if (forAdmins) await ensureEmailChannels(tx, 'admins');
    }
    const defaults = await readDefaults(tx);
    const users = userIds.length ? toRecipients(await recipients(tx, { userIds }), defaults) : new Map();
    const admins = forAdmins ? [...toRecipients(await recipients(tx, 'admins'), defaults).values()] : [];

    const events: EventInsert[] = [];
    const deliveries: DeliveryInsert[] = [];
    for (const item of fresh) {
      const id = newEventId(now);
      const audience = audienceOf(item.event);
      const to: Recipient[] =
        audience === 'admin' ? admins : [users.get(item.userId ?? '')].filter((r) => r !== undefined);
      events.push({
        id,
        kind: item.event.kind,
        audience,
        userId: item.userId ?? null,
        payload: toPayload(item.event),
        createdAt: now,
      });
      deliveries.push(...deliveriesOf({ eventId: id, event: item.event, recipients: to }, now, offset, opts));
      deps.metrics.notifyEvents.inc({ kind: item.event.kind });
    }
    await insertEvents(tx, events);
    await insertDeliveries(tx, deliveries, now);
    return events;
  }

  return {
    raiseIn,
    /** In batches of a few hundred, each its own transaction: a large crossing wave is not one long transaction. */
    async raise(items: RaisedEvent[]): Promise<number> {
      let written = 0;
      for (let i = 0; i < items.length; i += 500) {
        const batch = items.slice(i, i + 500);
        written += (await deps.database.transaction((tx) => raiseIn(tx, batch))).length;
      }
      return written;
    },
  };
}

export type Outbox = ReturnType<typeof createOutbox>;

/** One statement cannot raise a mark twice: per subject only the highest level goes in. */
function strongestPerSubject(items: RaisedEvent[]): RaisedEvent[] {
  const best = new Map<string, RaisedEvent>();
  const out: RaisedEvent[] = [];
  for (const i of items) {
    if (!i.mark) {
      out.push(i);
      continue;
    }
    const seen = best.get(i.mark.subject);
    if (!seen?.mark || seen.mark.level < i.mark.level) best.set(i.mark.subject, i);
  }
  return [...out, ...best.values()];
}
