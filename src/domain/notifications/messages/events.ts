import { fromMicros } from '../../money.js';

/**
 * The events notifications are about (issue 14): what the notification domain raises and the renderer turns into
 * words. Money is in micro-dollars like everywhere inside the portal (docs/decisions/001); it becomes USD only
 * in `publicData`, the event as webhook receivers see it. Keys are named by the portal's own id, never CRS's.
 */
export type LimitKind =
  | 'daily_cost'
  | 'total_cost'
  | 'weekly_opus_cost'
  | 'window_cost'
  | 'window_tokens'
  | 'window_requests';

/** Limits the operator may change beyond the ones usage is measured against. */
export type ChangeableLimit = LimitKind | 'concurrency' | 'rate_window';

export const THRESHOLDS = [50, 80, 95, 100] as const;
export type Threshold = (typeof THRESHOLDS)[number];

export interface KeyRef {
  /** The portal's key id (the key page's address), never the CRS key UUID. */
  id: string;
  name: string;
}

export interface LimitChange {
  limit: ChangeableLimit;
  /** In the limit's unit (micro-dollars for costs, minutes for the window); 0 = no limit. */
  from: number;
  to: number;
}

export type AlertName = 'cache_hit_rate_low' | 'redis_memory_high' | 'route_latency_high';

export type NotificationEvent =
  | {
      kind: 'usage_threshold';
      key: KeyRef;
      limit: LimitKind;
      threshold: Threshold;
      /** Micro-dollars for cost limits, tokens or requests for the window's other limits. */
      used: number;
      cap: number;
      windowMinutes?: number;
      resetsAt?: Date;
    }
  | { kind: 'key_expiring'; key: KeyRef; step: '7d' | '1d'; expiresAt: Date }
  | { kind: 'key_expired'; key: KeyRef; expiredAt: Date }
  | { kind: 'key_disabled'; key: KeyRef }
  | { kind: 'key_limits_changed'; key: KeyRef; changes: LimitChange[] }
  | { kind: 'sync_failing'; failures: number; since: Date; reason: string }
  | { kind: 'crs_unreachable'; since: Date; reason: string }
  | { kind: 'crs_credentials_rejected'; since: Date }
  /** `value` and `threshold`: ratios for hit rate and Redis memory, seconds for latency; `where`: namespace or route. */
  | { kind: 'alert'; alert: AlertName; value: number; threshold: number; where?: string }
  | { kind: 'channel_test' }
  /** One of the recipient's channels failed `failures` times in a row and is paused until they test it again. */
  | { kind: 'channel_paused'; channel: { type: string; label: string }; failures: number; error: string };

export type EventKind = NotificationEvent['kind'];

/** The event types receivers see (docs/webhooks.md). */
export const EVENT_TYPES: Record<EventKind, string> = {
  usage_threshold: 'key.usage_threshold',
  key_expiring: 'key.expiring',
  key_expired: 'key.expired',
  key_disabled: 'key.disabled',
  key_limits_changed: 'key.limits_changed',
  sync_failing: 'admin.sync_failing',
  crs_unreachable: 'admin.crs_unreachable',
  crs_credentials_rejected: 'admin.crs_credentials_rejected',
  alert: 'admin.alert',
  channel_test: 'channel.test',
  channel_paused: 'channel.paused',
};

export const DIGEST_TYPE = 'digest';

const ADMIN_KINDS: ReadonlySet<EventKind> = new Set([
  'sync_failing',
  'crs_unreachable',
  'crs_credentials_rejected',
  'alert',
]);

export const audienceOf = (e: NotificationEvent): 'user' | 'admin' => (ADMIN_KINDS.has(e.kind) ? 'admin' : 'user');

export const isCost = (limit: ChangeableLimit): boolean => limit.endsWith('_cost');

export const unitOf = (limit: ChangeableLimit): 'usd' | 'tokens' | 'requests' | 'minutes' | 'count' =>
  isCost(limit)
    ? 'usd'
    : limit === 'window_tokens'
      ? 'tokens'
      : limit === 'window_requests'
        ? 'requests'
        : limit === 'rate_window'
          ? 'minutes'
          : 'count';

const amount = (limit: ChangeableLimit, n: number) => (isCost(limit) ? fromMicros(n) : n);

/** The event's data in the generic webhook's body: dates as ISO strings, money in USD. */
export function publicData(e: NotificationEvent): Record<string, unknown> {
  switch (e.kind) {
    case 'usage_threshold':
      return {
        key: e.key,
        limit: e.limit,
        threshold: e.threshold,
        used: amount(e.limit, e.used),
        cap: amount(e.limit, e.cap),
        unit: unitOf(e.limit),
        ...(e.windowMinutes ? { windowMinutes: e.windowMinutes } : {}),
        ...(e.resetsAt ? { resetsAt: e.resetsAt.toISOString() } : {}),
      };
    case 'key_expiring':
      return { key: e.key, step: e.step, expiresAt: e.expiresAt.toISOString() };
    case 'key_expired':
      return { key: e.key, expiredAt: e.expiredAt.toISOString() };
    case 'key_disabled':
      return { key: e.key };
    case 'key_limits_changed':
      return {
        key: e.key,
        changes: e.changes.map((c) => ({
          limit: c.limit,
          from: amount(c.limit, c.from),
          to: amount(c.limit, c.to),
          unit: unitOf(c.limit),
        })),
      };
    case 'sync_failing':
      return { failures: e.failures, since: e.since.toISOString(), reason: e.reason };
    case 'crs_unreachable':
      return { since: e.since.toISOString(), reason: e.reason };
    case 'crs_credentials_rejected':
      return { since: e.since.toISOString() };
    case 'alert':
      return { alert: e.alert, value: e.value, threshold: e.threshold, ...(e.where ? { where: e.where } : {}) };
    case 'channel_test':
      return {};
    case 'channel_paused':
      return { channel: e.channel, failures: e.failures, error: e.error };
  }
}
