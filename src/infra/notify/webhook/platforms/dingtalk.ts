import { createHmac } from 'node:crypto';
import { markdownSafe, truncateBytes, under } from '../chat-markup.js';
import { classifyCodeAnswer } from '../classify.js';
import { jsonHeaders, type PlatformFormat } from './format.js';

/** -1: system busy; 130101: "send too fast" (20 messages a minute per robot). */
const RETRYABLE = new Set([-1, 130101]);

/**
 * DingTalk custom robots: `POST <base>/robot/send?access_token=…` with a markdown message. With a signing secret,
 * `timestamp` (milliseconds) and `sign` = base64(HMAC-SHA256 keyed with the secret over "<timestamp>\n<secret>")
 * go into the query, URL-encoded. DingTalk answers 200 with `errcode` 0 on success; 310000 is a failed keyword,
 * signature or IP check, 300001 an unknown token.
 */
export const dingtalk: PlatformFormat<'dingtalk'> = {
  token: /^[A-Za-z0-9]+$/,
  tokenFromUrl: (url) =>
    url.pathname === '/robot/send' ? (url.searchParams.get('access_token') ?? undefined) : undefined,
  build(channel, message, base, now) {
    const { chat } = message;
    const parts = [`#### ${markdownSafe(chat.title)}`, ...chat.lines.map(markdownSafe)];
    if (chat.link) parts.push(`[${markdownSafe(chat.link.label)}](${chat.link.url})`);
    const payload = {
      msgtype: 'markdown',
      markdown: { title: chat.title, text: truncateBytes(parts.join('\n\n'), 18_000) },
    };
    const url = under(base, 'robot/send');
    url.searchParams.set('access_token', channel.token);
    if (channel.secret) {
      const timestamp = String(now.getTime());
      url.searchParams.set('timestamp', timestamp);
      url.searchParams.set('sign', dingtalkSign(channel.secret, timestamp));
    }
    return { url, headers: jsonHeaders(), body: JSON.stringify(payload) };
  },
  classify: (outcome) => classifyCodeAnswer(outcome, 'DingTalk', { code: ['errcode'], message: ['errmsg'] }, RETRYABLE),
};

export function dingtalkSign(secret: string, timestamp: string): string {
  return createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64');
}
