import { randomBytes } from 'node:crypto';
import type { NotifyConfig } from '../../config-notify.js';
import { channelIssues, tokenFromRobotUrl } from '../../infra/notify/index.js';
import type { Channel, Platform } from '../../infra/notify/types.js';
import { AppError, type FieldIssue } from '../errors.js';

/**
 * A channel as a user adds it (docs/webhooks.md §4–5): a generic webhook's URL and secret (made when not given,
 * shown once), or a platform's token — pasted as the robot URL the platform shows, or as the token itself. Checked
 * by the channels' own rules (decision 023) before anything is stored; every problem is a 400 naming its field.
 */
export interface ChannelInput {
  type: 'webhook' | Platform;
  url?: string;
  secret?: string;
  token?: string;
  chatId?: string;
}

export function channelTarget(
  input: ChannelInput,
  config: Pick<NotifyConfig, 'webhookAllowPrivate' | 'platformBaseUrls'>,
): { target: Record<string, string>; secret?: string } {
  const issues: FieldIssue[] = [];
  let channel: Channel;
  let made: string | undefined;
  if (input.type === 'webhook') {
    if (!input.url) throw invalid([{ path: 'url', message: 'is required for a webhook' }]);
    made = input.secret ? undefined : randomBytes(24).toString('base64url');
    channel = { type: 'webhook', url: input.url, secret: input.secret ?? made ?? '' };
    if (!config.webhookAllowPrivate && URL.canParse(input.url) && new URL(input.url).protocol !== 'https:') {
      issues.push({ path: 'url', message: 'must be an https URL' });
    }
  } else {
    const token =
      input.token ?? (input.url ? tokenFromRobotUrl(input.type, input.url, config.platformBaseUrls) : undefined);
    if (!token) {
      const path = input.url ? 'url' : 'token';
      throw invalid([{ path, message: input.url ? `not a ${input.type} robot URL` : 'is required' }]);
    }
    channel = platformChannel(input.type, token, input);
  }
  issues.push(...channelIssues(channel));
  if (issues.length) throw invalid(issues);
  const { type: _type, ...target } = channel;
  return { target: stringsOnly(target), ...(made ? { secret: made } : {}) };
}

function platformChannel(type: Platform, token: string, input: ChannelInput): Channel {
  switch (type) {
    case 'telegram':
      return { type, token, chatId: input.chatId ?? '' };
    case 'feishu':
    case 'lark':
    case 'dingtalk':
      return { type, token, ...(input.secret ? { secret: input.secret } : {}) };
    default:
      return { type, token };
  }
}

const stringsOnly = (o: Record<string, unknown>): Record<string, string> =>
  Object.fromEntries(Object.entries(o).filter((e): e is [string, string] => typeof e[1] === 'string'));

const invalid = (issues: FieldIssue[]) =>
  new AppError('bad_request', issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues);
