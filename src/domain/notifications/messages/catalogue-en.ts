import type { Catalogue } from './catalogue.js';

const CHANNEL_TYPES = {
  email: 'e-mail',
  webhook: 'webhook',
  slack: 'Slack',
  feishu: 'Feishu',
  lark: 'Lark',
  dingtalk: 'DingTalk',
  wecom: 'WeCom',
  telegram: 'Telegram',
};

const WINDOW_ENDS = 'Requests with this key are refused until the current window ends.';

export const en: Catalogue = {
  language: 'en',
  colon: ': ',
  limits: {
    daily_cost: 'daily cost limit',
    total_cost: 'total cost limit',
    weekly_opus_cost: 'weekly Opus cost limit',
    window_cost: 'cost limit per window',
    window_tokens: 'token limit per window',
    window_requests: 'request limit per window',
    concurrency: 'concurrency limit',
    rate_window: 'rate limit window',
  },
  units: { none: 'none', tokens: 'tokens', requests: 'requests', minutes: 'min' },
  actions: { openKey: 'Open the key', openAdmin: 'Open the admin overview', settings: 'Notification settings' },
  usage: {
    crossed: (key, limit, t) => `Key “${key}” has used ${t}% of its ${limit}`,
    reached: (key, limit) => `Key “${key}” has reached its ${limit}`,
    crossedIntro: (limit, t) => `Usage has crossed ${t}% of the ${limit}. At 100% requests with this key are refused.`,
    reachedIntro: {
      daily_cost: 'Requests with this key are refused until the day ends in CRS’s time zone.',
      total_cost: 'Requests with this key are refused until the limit is raised.',
      weekly_opus_cost: 'Opus requests with this key are refused until the week resets.',
      window_cost: WINDOW_ENDS,
      window_tokens: WINDOW_ENDS,
      window_requests: WINDOW_ENDS,
    },
    used: 'Used',
    usedValue: (used, cap) => `${used} of ${cap}`,
    window: 'Window',
    resets: 'Resets',
  },
  expiring: {
    subject: (key, step) => `Key “${key}” expires ${step === '7d' ? 'within a week' : 'within a day'}`,
    intro: 'After that, requests with this key are refused. Change its expiry on the key page if you still need it.',
    expires: 'Expires',
  },
  expired: {
    subject: (key) => `Key “${key}” has expired`,
    intro: 'Requests with this key are now refused.',
    expired: 'Expired',
  },
  disabled: {
    subject: (key) => `Key “${key}” was disabled by the operator`,
    intro:
      'Requests with this key are refused until an administrator enables it again. Ask them if you did not expect this.',
  },
  limitsChanged: {
    subject: (key) => `The operator changed the limits of key “${key}”`,
    intro: 'The new limits apply from now on.',
  },
  syncFailing: {
    subject: (n) => `Usage sync is failing (${n} runs in a row)`,
    heading: 'The usage sync is failing',
    intro: 'The portal cannot copy usage from CRS: users see figures that are getting older.',
    failures: 'Failed runs',
  },
  crsUnreachable: {
    subject: 'CRS is unreachable',
    intro: 'The portal cannot reach CRS: key changes fail and usage is not updated.',
  },
  crsCredentials: {
    subject: 'CRS rejects the portal’s admin credentials',
    intro: 'Check CRS_ADMIN_USERNAME and CRS_ADMIN_PASSWORD against the CRS admin account.',
  },
  alert: {
    names: {
      cache_hit_rate_low: 'Cache hit rate is low',
      redis_memory_high: 'Redis memory is nearly full',
      route_latency_high: 'API responses are slow',
    },
    subject: (name) => `Alert: ${name}`,
    intro: 'One of the portal’s alert conditions is firing; health reports “degraded” until it clears.',
    measured: 'Measured',
    route: 'Route',
    namespace: 'Namespace',
    latency: (v, limit) => `p95 ${v} (limit ${limit})`,
    atLeast: (v, limit) => `${v} (at least ${limit})`,
    atMost: (v, limit) => `${v} (at most ${limit})`,
  },
  channelTest: {
    subject: 'Test message from Claude Key Portal',
    heading: 'This channel works',
    intro: 'Notifications you turn on for this channel will arrive here.',
  },
  channelPaused: {
    subject: (channel) => `Notifications to ${channel} are paused`,
    intro:
      'Deliveries to this channel kept failing, so the portal stopped sending to it. Fix it, then send a test message from the notification settings to resume it.',
    channel: 'Channel',
    failures: 'Failed attempts in a row',
    types: CHANNEL_TYPES,
  },
  unsubscribe: {
    title: 'Notification e-mail',
    confirm: (address) => `Stop notification e-mails to ${address}?`,
    button: 'Unsubscribe',
    done: (address) =>
      `Notification e-mails to ${address} are off. Turn them on again, or choose other channels, in the notification settings.`,
    invalid: 'This unsubscribe link is not valid (any more).',
    settings: 'Notification settings',
  },
  admin: { since: 'Since', error: 'Error', lastError: 'Last error' },
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
