import { createHash } from 'node:crypto';
import nodemailer from 'nodemailer';
import { delivered, type EmailChannel, type OutboundMessage, type SendResult } from '../types.js';
import { classifySmtpError } from './smtp-failures.js';

export interface MailerOptions {
  /** smtp:// (STARTTLS when the server offers it) or smtps:// (TLS from the start); credentials in the URL. */
  smtpUrl: string;
  /** The From header: `Portal <noreply@example.com>` or a bare address. */
  from: string;
  timeoutMs: number;
}

/**
 * E-mail over SMTP with nodemailer: one connection per message (the outbox sends few, and a pool would hide a
 * server that went away behind its idle sockets), an HTML part with a text part, and the headers mail
 * providers expect of bulk notification mail: a one-click unsubscribe (RFC 8058; Gmail and Yahoo require it of
 * bulk senders) and `Auto-Submitted` so vacation responders stay quiet (RFC 3834).
 */
export function createMailer(opts: MailerOptions) {
  const transport = nodemailer.createTransport({
    url: opts.smtpUrl,
    connectionTimeout: opts.timeoutMs,
    greetingTimeout: opts.timeoutMs,
    socketTimeout: opts.timeoutMs,
  });
  const domain = senderDomain(opts.from);

  return {
    async send(channel: EmailChannel, message: OutboundMessage): Promise<SendResult> {
      const headers: Record<string, string> = {
        'X-KP-Event-Id': message.id,
        'X-KP-Event-Type': message.type,
        'Auto-Submitted': 'auto-generated',
      };
      if (message.unsubscribeUrl) {
        headers['List-Unsubscribe'] = `<${message.unsubscribeUrl}>`;
        headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
      }
      try {
        await transport.sendMail({
          from: opts.from,
          to: channel.to,
          subject: message.subject,
          text: message.text,
          html: message.html,
          messageId: messageIdFor(message.id, channel.to, domain),
          headers,
        });
        return delivered;
      } catch (e) {
        return classifySmtpError(e);
      }
    },
    close: () => transport.close(),
  };
}

/**
 * The same event to the same address has the same Message-ID on every retry, so a mail client shows one message
 * even when a retry follows a delivery whose answer was lost; another recipient of the event gets another id.
 */
export function messageIdFor(eventId: string, to: string, domain: string): string {
  const who = createHash('sha256').update(to.toLowerCase()).digest('hex').slice(0, 16);
  return `<kp.${eventId.replace(/[^A-Za-z0-9.-]/g, '-')}.${who}@${domain}>`;
}

function senderDomain(from: string): string {
  const address = from.match(/<([^>]+)>/)?.[1] ?? from;
  return address.split('@')[1]?.trim() || 'localhost';
}
