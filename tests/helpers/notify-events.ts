import type { NotificationEvent } from '../../src/domain/notifications/messages/index.js';

const key = { id: 'k_42', name: 'team-backend' };
const at = (iso: string) => new Date(iso);

/** One event of every kind the issue lists, with plausible figures (money in micro-dollars). */
export const EVERY_EVENT: Record<string, NotificationEvent> = {
  'usage-daily-50': {
    kind: 'usage_threshold',
    key,
    limit: 'daily_cost',
    threshold: 50,
    used: 5_020_000,
    cap: 10_000_000,
  },
  'usage-total-80': {
    kind: 'usage_threshold',
    key,
    limit: 'total_cost',
    threshold: 80,
    used: 81_000_000,
    cap: 100_000_000,
  },
  'usage-opus-95': {
    kind: 'usage_threshold',
    key,
    limit: 'weekly_opus_cost',
    threshold: 95,
    used: 47_600_000,
    cap: 50_000_000,
    resetsAt: at('2025-06-09T00:00:00Z'),
  },
  'usage-window-tokens-100': {
    kind: 'usage_threshold',
    key,
    limit: 'window_tokens',
    threshold: 100,
    used: 200_000,
    cap: 200_000,
    windowMinutes: 60,
    resetsAt: at('2025-06-01T03:00:00Z'),
  },
  'usage-window-requests-80': {
    kind: 'usage_threshold',
    key,
    limit: 'window_requests',
    threshold: 80,
    used: 80,
    cap: 100,
    windowMinutes: 5,
  },
  'usage-window-cost-95': {
    kind: 'usage_threshold',
    key,
    limit: 'window_cost',
    threshold: 95,
    used: 1_900_000,
    cap: 2_000_000,
    windowMinutes: 60,
  },
  'expiring-7d': { kind: 'key_expiring', key, step: '7d', expiresAt: at('2025-06-08T00:00:00Z') },
  'expiring-1d': { kind: 'key_expiring', key, step: '1d', expiresAt: at('2025-06-02T00:00:00Z') },
  expired: { kind: 'key_expired', key, expiredAt: at('2025-06-01T00:00:00Z') },
  disabled: { kind: 'key_disabled', key },
  'limits-changed': {
    kind: 'key_limits_changed',
    key,
    changes: [
      { limit: 'daily_cost', from: 10_000_000, to: 5_000_000 },
      { limit: 'concurrency', from: 0, to: 2 },
    ],
  },
  'sync-failing': {
    kind: 'sync_failing',
    failures: 3,
    since: at('2025-06-01T01:57:00Z'),
    reason: 'CRS answered 502 on /admin/api-keys',
  },
  'crs-unreachable': {
    kind: 'crs_unreachable',
    since: at('2025-06-01T01:55:00Z'),
    reason: 'connection refused (ECONNREFUSED)',
  },
  'crs-credentials': { kind: 'crs_credentials_rejected', since: at('2025-06-01T01:50:00Z') },
  'alert-hit-rate': { kind: 'alert', alert: 'cache_hit_rate_low', value: 0.62, threshold: 0.8, where: 'stats' },
  'alert-redis': { kind: 'alert', alert: 'redis_memory_high', value: 0.86, threshold: 0.8 },
  'alert-latency': { kind: 'alert', alert: 'route_latency_high', value: 0.12, threshold: 0.05, where: 'GET /api/keys' },
  'channel-test': { kind: 'channel_test' },
  'channel-paused': {
    kind: 'channel_paused',
    channel: { type: 'slack', label: '' },
    failures: 5,
    error: 'HTTP 404 (no_service)',
  },
};
