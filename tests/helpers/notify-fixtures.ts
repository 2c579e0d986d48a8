import { composeMessage, type NotificationEvent } from '../../src/domain/notifications/messages/index.js';
import { type ChannelConfig, createNotifier, type OutboundMessage } from '../../src/infra/notify/index.js';
import type { Resolver } from '../../src/infra/notify/ssrf/guard.js';
import { DEFAULT_PLATFORM_BASES } from '../../src/infra/notify/webhook/platforms/index.js';

/** A key name that tries every chat markup: Slack mentions, markdown links, HTML and WeCom mentions. */
export const HOSTILE_NAME = '<!channel> [click](https://evil.example) <@all> & <b>x</b>';

export const PUBLIC_URL = new URL('https://portal.example.com');

export function sampleEvent(name = HOSTILE_NAME): NotificationEvent {
  return {
    kind: 'usage_threshold',
    key: { id: 'k_42', name },
    limit: 'daily_cost',
    threshold: 95,
    used: 9_500_000,
    cap: 10_000_000,
  };
}

/** A rendered message, as the notification domain will hand it to `send`. */
export function sampleMessage(language: 'en' | 'zh-CN' = 'en', id = 'evt_0001', name = HOSTILE_NAME): OutboundMessage {
  return composeMessage(
    { id, time: new Date('2025-06-01T02:00:00Z'), event: sampleEvent(name) },
    { language, publicUrl: PUBLIC_URL, timeZone: 'Asia/Shanghai' },
  );
}

/** The notifier as the portal builds it, with the tests' receivers as platform bases. */
export function testNotifier(over: Partial<ChannelConfig> = {}, opts: { resolve?: Resolver; clock?: () => Date } = {}) {
  return createNotifier(
    {
      webhookAllowPrivate: true,
      timeoutMs: 2_000,
      platformBaseUrls: { ...DEFAULT_PLATFORM_BASES },
      ...over,
    },
    opts,
  );
}
