import type { NodemailerError } from 'nodemailer';
import { networkFailure } from '../../../lib/network-error.js';
import { failed, type SendResult } from '../types.js';

/**
 * An SMTP failure in delivery terms (RFC 5321: 4yz transient, 5yz permanent, 503 a session out of step). Whose
 * fault it is follows the command that failed: a refused recipient or message is the recipient's channel; a
 * refused connection, greeting, login or sender is the operator's mail service, which says nothing about the
 * recipient — so those are retried (the message is fine; the operator fixes SMTP_URL or MAIL_FROM) and never
 * count towards pausing the recipient's channel.
 */
export function classifySmtpError(e: unknown): SendResult {
  const err = e as NodemailerError;
  const code = err.responseCode;
  if (code === undefined) {
    if (err.code === 'EENVELOPE') return failed(`SMTP: ${err.message}`, false);
    const cause = networkFailure(err.originalCode ?? '') ?? networkFailure(err.code ?? '');
    return failed(`SMTP ${cause ?? `${err.code ?? 'error'}: ${err.message}`}`, true, { scope: 'service' });
  }
  const command = (err.command ?? '').toUpperCase();
  const reply = oneLine(err.response ?? err.message);
  const said = `SMTP ${command || 'reply'}: ${reply.startsWith(String(code)) ? reply : `${code} ${reply}`}`;
  const recipientSide = command.startsWith('RCPT') || command === 'DATA' || command.startsWith('BDAT');
  const transient = code < 500 || code === 503;
  if (recipientSide) return failed(said, transient);
  // CONN, EHLO, STARTTLS, AUTH, MAIL FROM: the operator's server or account.
  return failed(said, true, { scope: 'service' });
}

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim().slice(0, 300);
