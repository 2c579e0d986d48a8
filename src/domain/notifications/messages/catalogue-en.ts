import { type Catalogue, type Content, limitValue, thresholdSeverity } from './catalogue.js';
import type { ChangeableLimit, NotificationEvent } from './events.js';
import type { Fmt } from './format.js';
import type { Links } from './links.js';

const LIMITS: Record<ChangeableLimit, string> = {
  daily_cost: 'daily cost limit',
  total_cost: 'total cost limit',
  weekly_opus_cost: 'weekly Opus cost limit',
  window_cost: 'cost limit per window',
  window_tokens: 'token limit per window',
  window_requests: 'request limit per window',
  concurrency: 'concurrency limit',
  rate_window: 'rate limit window',
};

const WORDS = { none: 'none', tokens: 'tokens', requests: 'requests', minutes: 'min' };

/** When a limit that was reached lets requests through again. */
const RESETS: Record<string, string> = {
  daily_cost: 'Requests with this key are refused until the day ends in CRS’s time zone.',
  total_cost: 'Requests with this key are refused until the limit is raised.',
  weekly_opus_cost: 'Opus requests with this key are refused until the week resets.',
  window_cost: 'Requests with this key are refused until the current window ends.',
  window_tokens: 'Requests with this key are refused until the current window ends.',
  window_requests: 'Requests with this key are refused until the current window ends.',
};

const ALERTS = {
  cache_hit_rate_low: 'Cache hit rate is low',
  redis_memory_high: 'Redis memory is nearly full',
  route_latency_high: 'API responses are slow',
};

const upper = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function content(e: NotificationEvent, f: Fmt, links: Links): Content {
  const openKey = (id: string) => ({ label: 'Open the key', url: links.key(id) });
  const overview = { label: 'Open the admin overview', url: links.admin };
  switch (e.kind) {
    case 'usage_threshold': {
      const name = LIMITS[e.limit];
      const reached = e.threshold >= 100;
      const subject = reached
        ? `Key “${e.key.name}” has reached its ${name}`
        : `Key “${e.key.name}” has used ${e.threshold}% of its ${name}`;
      const facts: Content['facts'] = [
        ['Used', `${limitValue(e.limit, e.used, f, WORDS)} of ${limitValue(e.limit, e.cap, f, WORDS)}`],
      ];
      if (e.windowMinutes) facts.push(['Window', `${f.number(e.windowMinutes)} min`]);
      if (e.resetsAt) facts.push(['Resets', f.dateTime(e.resetsAt)]);
      return {
        severity: thresholdSeverity(e.threshold),
        subject,
        heading: subject,
        intro: reached
          ? RESETS[e.limit]
          : `Usage has crossed ${e.threshold}% of the ${name}. At 100% requests with this key are refused.`,
        facts,
        action: openKey(e.key.id),
      };
    }
    case 'key_expiring': {
      const subject = `Key “${e.key.name}” expires ${e.step === '7d' ? 'in 7 days' : 'within a day'}`;
      return {
        severity: e.step === '7d' ? 'info' : 'warning',
        subject,
        heading: subject,
        intro:
          'After that, requests with this key are refused. Change its expiry on the key page if you still need it.',
        facts: [['Expires', f.dateTime(e.expiresAt)]],
        action: openKey(e.key.id),
      };
    }
    case 'key_expired':
      return {
        severity: 'critical',
        subject: `Key “${e.key.name}” has expired`,
        heading: `Key “${e.key.name}” has expired`,
        intro: 'Requests with this key are now refused.',
        facts: [['Expired', f.dateTime(e.expiredAt)]],
        action: openKey(e.key.id),
      };
    case 'key_disabled':
      return {
        severity: 'critical',
        subject: `Key “${e.key.name}” was disabled by the operator`,
        heading: `Key “${e.key.name}” was disabled by the operator`,
        intro:
          'Requests with this key are refused until an administrator enables it again. Ask them if you did not expect this.',
        facts: [],
        action: openKey(e.key.id),
      };
    case 'key_limits_changed':
      return {
        severity: 'info',
        subject: `The operator changed the limits of key “${e.key.name}”`,
        heading: `The operator changed the limits of key “${e.key.name}”`,
        intro: 'The new limits apply from now on.',
        facts: e.changes.map((c) => [
          upper(LIMITS[c.limit]),
          `${limitValue(c.limit, c.from, f, WORDS)} → ${limitValue(c.limit, c.to, f, WORDS)}`,
        ]),
        action: openKey(e.key.id),
      };
    case 'sync_failing':
      return {
        severity: 'critical',
        subject: `Usage sync is failing (${f.number(e.failures)} runs in a row)`,
        heading: 'The usage sync is failing',
        intro: 'The portal cannot copy usage from CRS: users see figures that are getting older.',
        facts: [
          ['Failed runs', f.number(e.failures)],
          ['Since', f.dateTime(e.since)],
          ['Last error', e.reason],
        ],
        action: overview,
      };
    case 'crs_unreachable':
      return {
        severity: 'critical',
        subject: 'CRS is unreachable',
        heading: 'CRS is unreachable',
        intro: 'The portal cannot reach CRS: key changes fail and usage is not updated.',
        facts: [
          ['Since', f.dateTime(e.since)],
          ['Error', e.reason],
        ],
        action: overview,
      };
    case 'crs_credentials_rejected':
      return {
        severity: 'critical',
        subject: 'CRS rejects the portal’s admin credentials',
        heading: 'CRS rejects the portal’s admin credentials',
        intro: 'Check CRS_ADMIN_USERNAME and CRS_ADMIN_PASSWORD against the CRS admin account.',
        facts: [['Since', f.dateTime(e.since)]],
        action: overview,
      };
    case 'alert': {
      const measured =
        e.alert === 'route_latency_high'
          ? `p95 ${f.seconds(e.value)} (limit ${f.seconds(e.threshold)})`
          : `${f.percent(e.value)} (${e.alert === 'cache_hit_rate_low' ? 'at least' : 'at most'} ${f.percent(e.threshold)})`;
      const facts: Content['facts'] = [['Measured', measured]];
      if (e.where) facts.unshift([e.alert === 'route_latency_high' ? 'Route' : 'Namespace', e.where]);
      return {
        severity: 'warning',
        subject: `Alert: ${ALERTS[e.alert]}`,
        heading: ALERTS[e.alert],
        intro: 'One of the portal’s alert conditions is firing; health reports “degraded” until it clears.',
        facts,
        action: overview,
      };
    }
    case 'channel_test':
      return {
        severity: 'info',
        subject: 'Test message from Claude Key Portal',
        heading: 'This channel works',
        intro: 'Notifications you turn on for this channel will arrive here.',
        facts: [],
        action: { label: 'Notification settings', url: links.settings },
      };
  }
}

export const en: Catalogue = {
  language: 'en',
  colon: ': ',
  content,
  limitName: (l) => LIMITS[l],
  footer: {
    why: (audience, host) =>
      audience === 'admin'
        ? `You receive this as an administrator of the Claude Key Portal at ${host}.`
        : `You receive this because notifications are on for your account at ${host}.`,
    settings: 'Notification settings',
    unsubscribe: 'Unsubscribe',
  },
  digest: {
    subject: (n) => `Claude Key Portal: ${n} ${n === 1 ? 'notification' : 'notifications'}`,
    heading: 'Your notification summary',
    intro: (n) => `${n === 1 ? 'One thing' : `${n} things`} happened since the last summary.`,
    more: (n) => `… and ${n} more`,
    open: 'Open the portal',
  },
};
