import type { RecipientRow } from '../../infra/db/repos/notify-channels.js';
import type { DeliveryInsert } from '../../infra/db/repos/notify-outbox.js';
import { audienceOf, type NotificationEvent } from './messages/index.js';
import { nextDigestAt } from './rules.js';
import { CATEGORY_OF, type Category, type NotifyDefaults } from './types.js';

/**
 * Which channels an event goes to (docs/decisions/030), as a pure function of the recipients' channels and
 * preferences: a channel receives the categories it was given (the account e-mail, until its owner chooses, the
 * admin's defaults); a user with the daily digest has their events held until it; admin events go to every active
 * admin's channels that take `system`, never into a digest (they are about now).
 */
export interface Recipient {
  userId: string;
  role: 'user' | 'admin';
  digest: boolean;
  digestHour: number;
  channels: Array<{ id: string; type: string; label: string; events: Category[]; active: boolean }>;
}

export function toRecipients(rows: RecipientRow[], defaults: NotifyDefaults): Map<string, Recipient> {
  const out = new Map<string, Recipient>();
  for (const r of rows) {
    let rec = out.get(r.userId);
    if (!rec) {
      rec = {
        userId: r.userId,
        role: r.role,
        digest: r.digest ?? defaults.digest,
        digestHour: r.digestHour ?? defaults.digestHour,
        channels: [],
      };
      out.set(r.userId, rec);
    }
    if (!r.channelId || !r.channelType) continue;
    rec.channels.push({
      id: r.channelId,
      type: r.channelType,
      label: r.channelLabel ?? '',
      events: effectiveEvents(r.channelType, r.channelEvents, r.role, defaults),
      active: r.channelStatus === 'active',
    });
  }
  return out;
}

/** A channel's categories: its own, or for the account e-mail that follows the defaults, the admin's. */
export function effectiveEvents(
  type: string,
  events: string[] | null,
  role: 'user' | 'admin',
  defaults: NotifyDefaults,
): Category[] {
  const chosen = events ?? (type === 'email' ? [...defaults.emailEvents, ...defaults.adminEmailEvents] : []);
  // `system` is the admins' own: a user demoted keeps no admin events.
  return chosen.filter((c): c is Category => c !== 'system' || role === 'admin');
}

export interface Routed {
  eventId: string;
  event: NotificationEvent;
  recipients: Recipient[];
}

export function deliveriesOf(
  routed: Routed,
  now: Date,
  crsOffsetHours: number,
  opts: { exceptChannel?: string } = {},
): DeliveryInsert[] {
  const { event } = routed;
  const category = CATEGORY_OF[event.kind];
  const admin = audienceOf(event) === 'admin';
  const out: DeliveryInsert[] = [];
  for (const r of routed.recipients) {
    const held = !admin && category !== null && r.digest;
    const at = held ? nextDigestAt(now, r.digestHour, crsOffsetHours) : now;
    for (const c of r.channels) {
      if (!c.active || c.id === opts.exceptChannel) continue;
      // A notice about a channel goes to every other channel its owner listens on.
      const wanted = category === null ? c.events.length > 0 : c.events.includes(category);
      if (!wanted) continue;
      out.push({
        eventId: routed.eventId,
        userId: r.userId,
        channelId: c.id,
        channelType: c.type,
        channelLabel: c.label,
        state: held ? 'held' : 'pending',
        nextAttemptAt: at,
      });
    }
  }
  return out;
}
