import type { Catalogue, Content } from './catalogue.js';
import type { ChangeableLimit, NotificationEvent } from './events.js';
import type { Fmt } from './format.js';
import type { Links } from './links.js';

/** 50 % is news, 80 and 95 % a warning, 100 % the limit itself. */
const thresholdSeverity = (t: number): Content['severity'] => (t >= 100 ? 'critical' : t >= 80 ? 'warning' : 'info');

/** "$5.00", "120,000 tokens", "60 min"; 0 = no limit. */
function limitValue(limit: ChangeableLimit, value: number, f: Fmt, cat: Catalogue): string {
  const u = cat.units;
  if (value === 0) return u.none;
  if (limit.endsWith('_cost')) return f.money(value);
  if (limit === 'window_tokens') return `${f.number(value)} ${u.tokens}`;
  if (limit === 'window_requests') return `${f.number(value)} ${u.requests}`;
  if (limit === 'rate_window') return `${f.number(value)} ${u.minutes}`;
  return f.number(value);
}

const same = (subject: string) => ({ subject, heading: subject });

/** The shape of each event's message; the words are the catalogue's. */
export function contentOf(e: NotificationEvent, cat: Catalogue, f: Fmt, links: Links): Content {
  const openKey = (id: string) => ({ label: cat.actions.openKey, url: links.key(id) });
  const overview = { label: cat.actions.openAdmin, url: links.admin };
  const { admin } = cat;
  switch (e.kind) {
    case 'usage_threshold': {
      const limit = cat.limits[e.limit];
      const reached = e.threshold >= 100;
      const facts: Content['facts'] = [
        [cat.usage.used, cat.usage.usedValue(limitValue(e.limit, e.used, f, cat), limitValue(e.limit, e.cap, f, cat))],
      ];
      if (e.windowMinutes) facts.push([cat.usage.window, `${f.number(e.windowMinutes)} ${cat.units.minutes}`]);
      if (e.resetsAt) facts.push([cat.usage.resets, f.dateTime(e.resetsAt)]);
      return {
        severity: thresholdSeverity(e.threshold),
        ...same(reached ? cat.usage.reached(e.key.name, limit) : cat.usage.crossed(e.key.name, limit, e.threshold)),
        intro: reached ? cat.usage.reachedIntro[e.limit] : cat.usage.crossedIntro(limit, e.threshold),
        facts,
        action: openKey(e.key.id),
      };
    }
    case 'key_expiring':
      return {
        severity: e.step === '7d' ? 'info' : 'warning',
        ...same(cat.expiring.subject(e.key.name, e.step)),
        intro: cat.expiring.intro,
        facts: [[cat.expiring.expires, f.dateTime(e.expiresAt)]],
        action: openKey(e.key.id),
      };
    case 'key_expired':
      return {
        severity: 'critical',
        ...same(cat.expired.subject(e.key.name)),
        intro: cat.expired.intro,
        facts: [[cat.expired.expired, f.dateTime(e.expiredAt)]],
        action: openKey(e.key.id),
      };
    case 'key_disabled':
      return {
        severity: 'critical',
        ...same(cat.disabled.subject(e.key.name)),
        intro: cat.disabled.intro,
        facts: [],
        action: openKey(e.key.id),
      };
    case 'key_limits_changed':
      return {
        severity: 'info',
        ...same(cat.limitsChanged.subject(e.key.name)),
        intro: cat.limitsChanged.intro,
        facts: e.changes.map((c) => [
          cat.limits[c.limit].charAt(0).toUpperCase() + cat.limits[c.limit].slice(1),
          `${limitValue(c.limit, c.from, f, cat)} → ${limitValue(c.limit, c.to, f, cat)}`,
        ]),
        action: openKey(e.key.id),
      };
    case 'sync_failing':
      return {
        severity: 'critical',
        subject: cat.syncFailing.subject(f.number(e.failures)),
        heading: cat.syncFailing.heading,
        intro: cat.syncFailing.intro,
        facts: [
          [cat.syncFailing.failures, f.number(e.failures)],
          [admin.since, f.dateTime(e.since)],
          [admin.lastError, e.reason],
        ],
        action: overview,
      };
    case 'crs_unreachable':
      return {
        severity: 'critical',
        ...same(cat.crsUnreachable.subject),
        intro: cat.crsUnreachable.intro,
        facts: [
          [admin.since, f.dateTime(e.since)],
          [admin.error, e.reason],
        ],
        action: overview,
      };
    case 'crs_credentials_rejected':
      return {
        severity: 'critical',
        ...same(cat.crsCredentials.subject),
        intro: cat.crsCredentials.intro,
        facts: [[admin.since, f.dateTime(e.since)]],
        action: overview,
      };
    case 'alert': {
      const a = cat.alert;
      const measured =
        e.alert === 'route_latency_high'
          ? a.latency(f.seconds(e.value), f.seconds(e.threshold))
          : (e.alert === 'cache_hit_rate_low' ? a.atLeast : a.atMost)(f.percent(e.value), f.percent(e.threshold));
      const facts: Content['facts'] = [[a.measured, measured]];
      if (e.where) facts.unshift([e.alert === 'route_latency_high' ? a.route : a.namespace, e.where]);
      return {
        severity: 'warning',
        subject: a.subject(a.names[e.alert]),
        heading: a.names[e.alert],
        intro: a.intro,
        facts,
        action: overview,
      };
    }
    case 'channel_paused': {
      const p = cat.channelPaused;
      const name = e.channel.label || p.types[e.channel.type] || e.channel.type;
      return {
        severity: 'warning',
        ...same(p.subject(name)),
        intro: p.intro,
        facts: [
          [p.channel, name],
          [p.failures, f.number(e.failures)],
          [admin.lastError, e.error],
        ],
        action: { label: cat.actions.settings, url: links.settings },
      };
    }
    case 'channel_test':
      return {
        severity: 'info',
        subject: cat.channelTest.subject,
        heading: cat.channelTest.heading,
        intro: cat.channelTest.intro,
        facts: [],
        action: { label: cat.actions.settings, url: links.settings },
      };
  }
}
