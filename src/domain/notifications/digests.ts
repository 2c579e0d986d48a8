import type { Deps } from '../../deps.js';
import { dueDigests, markDigested, takeHeld } from '../../infra/db/repos/notify-claims.js';
import { insertDeliveries, insertEvents } from '../../infra/db/repos/notify-outbox.js';
import { DIGEST_KIND } from './compose.js';
import { newEventId } from './payload.js';

const CHANNELS_PER_RUN = 200;

/**
 * The daily digest (docs/decisions/030): a user who chose it has their events held per channel until their digest
 * hour; then, per channel, the held rows become one digest event with one delivery, in one transaction that locks
 * them (`skip locked`), so two instances never send one twice. The digest keeps its own id; the events it
 * carries keep theirs in its `data.events`.
 */
export async function formDigests(deps: Pick<Deps, 'database' | 'clock'>): Promise<number> {
  const now = deps.clock();
  let formed = 0;
  for (const { channelId } of await dueDigests(deps.database.db, now, CHANNELS_PER_RUN)) {
    formed += await deps.database.transaction(async (tx) => {
      const held = await takeHeld(tx, channelId, now);
      if (!held.length) return 0;
      const id = newEventId(now, 'dig');
      const { userId, channelType, channelLabel } = held[0];
      await insertEvents(tx, [
        {
          id,
          kind: DIGEST_KIND,
          audience: 'user',
          userId,
          payload: { items: [...new Set(held.map((h) => h.eventId))] },
          createdAt: now,
        },
      ]);
      await insertDeliveries(
        tx,
        [{ eventId: id, userId, channelId, channelType, channelLabel, state: 'pending', nextAttemptAt: now }],
        now,
      );
      await markDigested(
        tx,
        held.map((h) => h.id),
        id,
        now,
      );
      return 1;
    });
  }
  return formed;
}
