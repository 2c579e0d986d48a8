import { z } from 'zod';
import { flag } from './config-auth.js';
import type { Platform } from './infra/notify/types.js';
import { DEFAULT_PLATFORM_BASES } from './infra/notify/webhook/platforms/index.js';

/**
 * The notification channels' variables (e-mail, webhooks), validated with the rest of the configuration by
 * `loadConfig` in config.ts, which spreads `notifyEnvShape` into its schema.
 */
const blankToUndefined = z
  .string()
  .trim()
  .transform((s) => (s === '' ? undefined : s))
  .optional();

const baseUrl = blankToUndefined.pipe(
  z
    .url({ message: 'must be a URL' })
    .regex(/^https?:\/\/[^?#]*$/, 'must be an http(s) URL without query or fragment')
    .optional(),
);

export const notifyEnvShape = {
  SMTP_URL: blankToUndefined.pipe(
    z
      .string()
      .regex(/^smtps?:\/\/[^/]+/, 'must start with smtp:// or smtps://')
      .optional(),
  ),
  MAIL_FROM: blankToUndefined,
  WEBHOOK_ALLOW_PRIVATE: flag,
  NOTIFY_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(120_000).default(10_000),
  NOTIFY_DELIVERY_INTERVAL: z.coerce.number().int().min(1).max(3_600).default(15),
  NOTIFY_COOLDOWN_MINUTES: z.coerce.number().int().min(0).max(10_080).default(60),
  NOTIFY_LOG_DAYS: z.coerce.number().int().min(1).max(3_650).default(90),
  NOTIFY_SLACK_BASE_URL: baseUrl,
  NOTIFY_FEISHU_BASE_URL: baseUrl,
  NOTIFY_LARK_BASE_URL: baseUrl,
  NOTIFY_DINGTALK_BASE_URL: baseUrl,
  NOTIFY_WECOM_BASE_URL: baseUrl,
  NOTIFY_TELEGRAM_BASE_URL: baseUrl,
};

export interface NotifyConfig {
  /** smtp:// or smtps:// with credentials; absent: no e-mail. Never logged (it holds the SMTP password). */
  smtpUrl?: string;
  /** The From of every e-mail: an address or `Name <address>`. */
  mailFrom?: string;
  /** Webhook URLs may reach private, loopback, link-local, CGNAT and unique-local addresses, and use http. */
  webhookAllowPrivate: boolean;
  /** Per attempt: connecting, the SMTP dialogue's steps, a webhook's whole exchange. */
  timeoutMs: number;
  /** Each chat platform's API (a proxy or, in tests, a loopback receiver may stand in). */
  platformBaseUrls: Record<Platform, string>;
  /** How often the leader's delivery job looks for due deliveries (docs/decisions/030). */
  deliveryIntervalMs: number;
  /** A repeatable event (an admin condition, a key disabled) about the same subject is raised at most this often. */
  cooldownMs: number;
  /** Events and their delivery log are kept this long. */
  logDays: number;
}

type NotifyEnv = z.output<z.ZodObject<typeof notifyEnvShape>>;

export function readNotifyConfig(e: NotifyEnv, problems: string[]): NotifyConfig {
  if (e.SMTP_URL && !e.MAIL_FROM) problems.push('MAIL_FROM: required when SMTP_URL is set');
  if (e.MAIL_FROM && !e.SMTP_URL) problems.push('SMTP_URL: required when MAIL_FROM is set');
  if (e.MAIL_FROM && !isMailbox(e.MAIL_FROM)) {
    problems.push(`MAIL_FROM: must be an address or "Name <address>" (got ${e.MAIL_FROM})`);
  }
  const platformBaseUrls: Record<Platform, string> = {
    slack: e.NOTIFY_SLACK_BASE_URL ?? DEFAULT_PLATFORM_BASES.slack,
    feishu: e.NOTIFY_FEISHU_BASE_URL ?? DEFAULT_PLATFORM_BASES.feishu,
    lark: e.NOTIFY_LARK_BASE_URL ?? DEFAULT_PLATFORM_BASES.lark,
    dingtalk: e.NOTIFY_DINGTALK_BASE_URL ?? DEFAULT_PLATFORM_BASES.dingtalk,
    wecom: e.NOTIFY_WECOM_BASE_URL ?? DEFAULT_PLATFORM_BASES.wecom,
    telegram: e.NOTIFY_TELEGRAM_BASE_URL ?? DEFAULT_PLATFORM_BASES.telegram,
  };
  return {
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    webhookAllowPrivate: e.WEBHOOK_ALLOW_PRIVATE,
    timeoutMs: e.NOTIFY_TIMEOUT_MS,
    platformBaseUrls,
    deliveryIntervalMs: e.NOTIFY_DELIVERY_INTERVAL * 1000,
    cooldownMs: e.NOTIFY_COOLDOWN_MINUTES * 60_000,
    logDays: e.NOTIFY_LOG_DAYS,
  };
}

function isMailbox(s: string): boolean {
  const address = s.match(/^[^<>]*<([^<>]+)>$/)?.[1] ?? s;
  return z.email().safeParse(address.trim()).success;
}
