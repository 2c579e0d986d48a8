import { z } from 'zod';
import type { FieldIssue } from '../../domain/errors.js';
import type { Channel, Platform } from './types.js';
import { DEFAULT_PLATFORM_BASES, PLATFORM_TOKENS } from './webhook/platforms/index.js';

/**
 * What a channel must look like before anything is sent to it: the notification API answers these issues as 400
 * `bad_request` naming the field, and `send` refuses a channel that has any (a permanent failure). The SSRF
 * guard's address checks need DNS and happen at each send; here only the URL's form is judged.
 */
export const WEBHOOK_SECRET_MIN = 16;
const CHAT_ID = /^(-?\d{1,20}|@[A-Za-z][A-Za-z0-9_]{4,31})$/;
const email = z.email();

export function channelIssues(channel: Channel): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const bad = (path: string, message: string) => issues.push({ path, message });
  switch (channel.type) {
    case 'email':
      if (!email.safeParse(channel.to).success) bad('to', 'must be an email address');
      break;
    case 'webhook': {
      const url = URL.canParse(channel.url) ? new URL(channel.url) : undefined;
      if (!url || !/^https?:$/.test(url.protocol)) bad('url', 'must be an http(s) URL');
      if (channel.secret.length < WEBHOOK_SECRET_MIN) {
        bad('secret', `must be at least ${WEBHOOK_SECRET_MIN} characters`);
      }
      break;
    }
    default:
      if (!PLATFORM_TOKENS[channel.type].token.test(channel.token)) bad('token', `not a ${channel.type} token`);
      if (channel.type === 'telegram' && !CHAT_ID.test(channel.chatId)) bad('chatId', 'must be a chat id or @name');
  }
  return issues;
}

/**
 * The token in a robot URL as the platform shows it to its users (what they paste into settings), when the URL is
 * on the platform's own host or the operator's base URL for it; undefined for anything else.
 */
export function tokenFromRobotUrl(
  platform: Platform,
  raw: string,
  bases: Record<Platform, string> = DEFAULT_PLATFORM_BASES,
): string | undefined {
  if (!URL.canParse(raw)) return undefined;
  const url = new URL(raw);
  const hosts = new Set([new URL(DEFAULT_PLATFORM_BASES[platform]).host, new URL(bases[platform]).host]);
  if (url.protocol !== 'https:' || !hosts.has(url.host)) return undefined;
  const format = PLATFORM_TOKENS[platform];
  const token = format.tokenFromUrl(url);
  return token && format.token.test(token) ? token : undefined;
}
