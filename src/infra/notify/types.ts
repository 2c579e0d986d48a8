/**
 * The delivery channels' contract: the notification domain renders a message once per recipient and language,
 * then calls `send(channel, message)` for each of the recipient's channels. Nothing here knows about events,
 * preferences or the outbox; a channel only delivers and says whether trying again could help
 * (docs/decisions/023-notification-channels.md).
 */
export type Language = 'en' | 'zh-CN';

/** A platform whose robot or bot API the portal speaks; its base URL comes from the operator (NOTIFY_*_BASE_URL). */
export type Platform = 'slack' | 'feishu' | 'lark' | 'dingtalk' | 'wecom' | 'telegram';

/**
 * Where a message goes. Platform channels hold the platform's own credential (the part of the robot URL that names
 * the robot, or a bot token), never a URL: the request goes to the operator's base URL for that platform, so a
 * "Slack" channel cannot be pointed at an arbitrary host. Only the generic webhook holds a user-given URL, and
 * only it goes through the SSRF guard.
 */
export interface EmailChannel {
  type: 'email';
  to: string;
}
export interface WebhookChannel {
  type: 'webhook';
  url: string;
  secret: string;
}
/** The platform channels by platform; Feishu, Lark and DingTalk robots may have a signing secret. */
export interface PlatformChannels {
  slack: { type: 'slack'; token: string };
  feishu: { type: 'feishu'; token: string; secret?: string };
  lark: { type: 'lark'; token: string; secret?: string };
  dingtalk: { type: 'dingtalk'; token: string; secret?: string };
  wecom: { type: 'wecom'; token: string };
  telegram: { type: 'telegram'; token: string; chatId: string };
}
export type PlatformChannel<P extends Platform = Platform> = PlatformChannels[P];

export type Channel = EmailChannel | WebhookChannel | PlatformChannel;

export type ChannelType = Channel['type'];

/** The short rendering for chat platforms: each platform turns it into its own markup, escaping as it must. */
export interface ChatMessage {
  severity: 'info' | 'warning' | 'critical';
  title: string;
  /** Plain text lines (no markup): values a user typed, such as key names, arrive here unescaped. */
  lines: string[];
  link?: { label: string; url: string };
}

export interface OutboundMessage {
  /** The event's id: the same on every retry and every channel, for receivers to de-duplicate on. */
  id: string;
  /** The event's type, e.g. `key.usage_threshold` (docs/webhooks.md). */
  type: string;
  /** When the event happened (not when it is sent). */
  time: Date;
  language: Language;
  /** The event's data as receivers of the generic webhook see it (money in USD, ids the portal's own). */
  data: Record<string, unknown>;
  subject: string;
  /** The e-mail's text part. */
  text: string;
  /** The e-mail's HTML part. */
  html: string;
  chat: ChatMessage;
  /** One-click unsubscribe (RFC 8058) for e-mail; its route belongs to the notification API. */
  unsubscribeUrl?: string;
}

/**
 * The outcome of one attempt. `retryable`: the same message may go through later (network, 429, 5xx, 4xx SMTP
 * replies). `scope`: whose fault it is — `channel` failures count towards pausing that channel; `service`
 * failures (the operator's SMTP server down or refusing our login) say nothing about the recipient's channel.
 */
export type SendResult =
  | { ok: true }
  | { ok: false; error: string; retryable: boolean; scope: 'channel' | 'service'; retryAfterMs?: number };

export interface Notifier {
  send(channel: Channel, message: OutboundMessage): Promise<SendResult>;
  /** Whether e-mail can be sent at all (SMTP_URL and MAIL_FROM set). */
  readonly emailEnabled: boolean;
  close(): Promise<void>;
}

export const delivered: SendResult = { ok: true };

export const failed = (
  error: string,
  retryable: boolean,
  extra: { scope?: 'channel' | 'service'; retryAfterMs?: number } = {},
): SendResult => ({ ok: false, error, retryable, scope: extra.scope ?? 'channel', ...pickRetryAfter(extra) });

function pickRetryAfter(extra: { retryAfterMs?: number }) {
  return extra.retryAfterMs !== undefined && Number.isFinite(extra.retryAfterMs) && extra.retryAfterMs > 0
    ? { retryAfterMs: Math.round(extra.retryAfterMs) }
    : {};
}
