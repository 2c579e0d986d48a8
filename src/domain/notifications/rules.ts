import { type LimitKind, type NotificationEvent, THRESHOLDS, type Threshold } from './messages/index.js';
import type { RaisedEvent } from './types.js';

/**
 * What makes an event once only (docs/decisions/029), as pure functions of figures and time: the threshold a
 * usage has crossed, the expiry step a key is in, and the mark (subject, level) each one writes.
 */
const DAY_MS = 86_400_000;

/** A key's usage against one of its limits in the current period (limit-usage.ts: the cost tables or the meters). */
export interface LimitUsage {
  keyId: string;
  userId: string;
  keyName: string;
  kind: LimitKind;
  /** Micro-dollars for cost limits; tokens or requests for the window's others. */
  used: number;
  limit: number;
  /**
   * The period the usage counts in, part of the mark: the CRS day for the daily cost, the week for Opus, the
   * window's start, and for the total cost the limit itself (raising it starts a new "period").
   */
  period: string;
  /** When the period ends (the mark may go a day later); none for the total cost. */
  periodEnd?: Date;
  resetsAt?: Date;
  windowMinutes?: number;
}

/** The highest threshold `used` has reached, in integers (no float rounding at exactly 80 %). */
export function thresholdReached(used: number, limit: number): Threshold | undefined {
  if (!(limit > 0)) return undefined;
  let reached: Threshold | undefined;
  for (const t of THRESHOLDS) if (used * 100 >= limit * t) reached = t;
  return reached;
}

/** The usage's event, if it has crossed a threshold; the mark lets only a higher threshold through later. */
export function usageEvent(u: LimitUsage): RaisedEvent | undefined {
  const threshold = thresholdReached(u.used, u.limit);
  if (!threshold) return undefined;
  const event: NotificationEvent = {
    kind: 'usage_threshold',
    key: { id: u.keyId, name: u.keyName },
    limit: u.kind,
    threshold,
    used: u.used,
    cap: u.limit,
    ...(u.windowMinutes ? { windowMinutes: u.windowMinutes } : {}),
    ...(u.resetsAt ? { resetsAt: u.resetsAt } : {}),
  };
  return {
    event,
    userId: u.userId,
    mark: {
      subject: `usage:${u.keyId}:${u.kind}:${u.period}`,
      level: threshold,
      ...(u.periodEnd ? { expiresAt: new Date(u.periodEnd.getTime() + DAY_MS) } : {}),
    },
  };
}

export interface ExpiringKey {
  keyId: string;
  userId: string;
  keyName: string;
  expiresAt: Date;
}

/** How long after its expiry a key is still told it expired (older expiries predate the feature or an outage). */
export const EXPIRED_NOTICE_MS = 7 * DAY_MS;

/**
 * The expiry step a key is in at `now`: 7 d, 1 d, expired (levels 1–3). The mark's subject holds the expiry
 * date, so a key whose expiry is moved is reminded again for the new date; a key first seen inside the last day
 * gets the 1-day reminder only.
 */
export function expiryEvent(k: ExpiringKey, now: Date): RaisedEvent | undefined {
  const left = k.expiresAt.getTime() - now.getTime();
  const key = { id: k.keyId, name: k.keyName };
  let level: number;
  let event: NotificationEvent;
  if (left <= 0) {
    if (-left > EXPIRED_NOTICE_MS) return undefined;
    level = 3;
    event = { kind: 'key_expired', key, expiredAt: k.expiresAt };
  } else if (left <= DAY_MS) {
    level = 2;
    event = { kind: 'key_expiring', key, step: '1d', expiresAt: k.expiresAt };
  } else if (left <= 7 * DAY_MS) {
    level = 1;
    event = { kind: 'key_expiring', key, step: '7d', expiresAt: k.expiresAt };
  } else return undefined;
  return {
    event,
    userId: k.userId,
    mark: {
      subject: `expiry:${k.keyId}:${k.expiresAt.toISOString()}`,
      level,
      expiresAt: new Date(k.expiresAt.getTime() + EXPIRED_NOTICE_MS + DAY_MS),
    },
  };
}

/** The CRS day (YYYY-MM-DD) of `at` and when it ends, for a CRS time zone `offsetHours` east of UTC. */
export function crsDayPeriod(at: Date, offsetHours: number): { day: string; end: Date } {
  const shifted = at.getTime() + offsetHours * 3_600_000;
  const start = Math.floor(shifted / DAY_MS) * DAY_MS;
  return {
    day: new Date(start).toISOString().slice(0, 10),
    end: new Date(start + DAY_MS - offsetHours * 3_600_000),
  };
}

/** The next digest time after `after`: `hour` o'clock in CRS's time zone. */
export function nextDigestAt(after: Date, hour: number, offsetHours: number): Date {
  const { end } = crsDayPeriod(after, offsetHours);
  const today = new Date(end.getTime() - DAY_MS + hour * 3_600_000);
  return today.getTime() > after.getTime() ? today : new Date(today.getTime() + DAY_MS);
}

/** The IANA zone of CRS's fixed offset, for times in messages (Etc/GMT-8 is UTC+8: the sign is POSIX's). */
export const crsTimeZone = (offsetHours: number): string =>
  offsetHours === 0 ? 'UTC' : `Etc/GMT${offsetHours > 0 ? '-' : '+'}${Math.abs(offsetHours)}`;
