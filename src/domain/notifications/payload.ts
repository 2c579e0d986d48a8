import { randomBytes } from 'node:crypto';
import type { NotificationEvent } from './messages/index.js';

/**
 * An event as the outbox stores it (JSON: times as ISO strings, money in micro-dollars) and back. The renderer
 * takes `Date`s, so the time fields are revived by name.
 */
const DATE_FIELDS = ['resetsAt', 'expiresAt', 'expiredAt', 'since'] as const;

export function toPayload(e: NotificationEvent): Record<string, unknown> {
  return JSON.parse(JSON.stringify(e));
}

export function fromPayload(payload: Record<string, unknown>): NotificationEvent {
  const e: Record<string, unknown> = { ...payload };
  for (const f of DATE_FIELDS) if (typeof e[f] === 'string') e[f] = new Date(e[f] as string);
  // Written by toPayload from a NotificationEvent: the stored shape is the event's.
  return e as unknown as NotificationEvent;
}

/**
 * `evt_` + time + randomness: unique without coordination, sortable by creation, the same on every retry and
 * channel (receivers de-duplicate on it, docs/webhooks.md).
 */
export const newEventId = (now: Date, prefix = 'evt'): string =>
  `${prefix}_${now.getTime().toString(36).padStart(9, '0')}${randomBytes(8).toString('hex')}`;
