import type { NotifyConfig } from '../../config-notify.js';
import { channelIssues } from './channel-rules.js';
import { createMailer } from './email/send-email.js';
import type { Resolver } from './ssrf/guard.js';
import { failed, type Notifier } from './types.js';
import { createWebhookSender } from './webhook/send-webhook.js';

export { channelIssues, tokenFromRobotUrl, WEBHOOK_SECRET_MIN } from './channel-rules.js';
export * from './retry-policy.js';
export * from './types.js';
export type { NotifyConfig };

/** What the channels read of the notification settings (the outbox's own settings are the domain's). */
export type ChannelConfig = Pick<
  NotifyConfig,
  'smtpUrl' | 'mailFrom' | 'webhookAllowPrivate' | 'timeoutMs' | 'platformBaseUrls'
>;

export interface NotifierOptions {
  resolve?: Resolver;
  clock?: () => Date;
}

/** The channels behind one `send`: e-mail when SMTP is configured, every webhook kind always. */
export function createNotifier(config: ChannelConfig, opts: NotifierOptions = {}): Notifier {
  const mailer =
    config.smtpUrl && config.mailFrom
      ? createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, timeoutMs: config.timeoutMs })
      : undefined;
  const webhooks = createWebhookSender({
    bases: config.platformBaseUrls,
    allowPrivate: config.webhookAllowPrivate,
    timeoutMs: config.timeoutMs,
    resolve: opts.resolve,
    clock: opts.clock,
  });
  return {
    emailEnabled: mailer !== undefined,
    async send(channel, message) {
      const issues = channelIssues(channel);
      if (issues.length) {
        return failed(`invalid channel: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`, false);
      }
      if (channel.type !== 'email') return webhooks.send(channel, message);
      if (!mailer) return failed('e-mail is not configured (SMTP_URL, MAIL_FROM)', false, { scope: 'service' });
      return mailer.send(channel, message);
    },
    async close() {
      mailer?.close();
    },
  };
}
