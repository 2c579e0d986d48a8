import { createHmac } from 'node:crypto';
import { under } from '../chat-markup.js';
import { classifyCodeAnswer } from '../classify.js';
import { jsonHeaders, type PlatformFormat } from './format.js';

/** 11232: "frequency limited" (a custom bot may send 100 messages a minute, 5 a second). */
const RETRYABLE = new Set([11232]);

/**
 * Feishu (and Lark, the same API on another host) custom bots: a `post` message, whose text elements are plain
 * text, so nothing a user typed can become a mention or a link. With a signing secret, `timestamp` (seconds) and
 * `sign` = base64(HMAC-SHA256 keyed with "<timestamp>\n<secret>" over nothing) go into the body. Feishu answers
 * 200 with `code` (or, from older bots, `StatusCode`) 0 on success and an error code otherwise (19021 signature,
 * 19024 keyword check, …).
 */
export const feishu: PlatformFormat<'feishu' | 'lark'> = {
  token: /^[A-Za-z0-9-]+$/,
  tokenFromUrl: (url) => url.pathname.match(/^\/open-apis\/bot\/v2\/hook\/([^/?#]+)$/)?.[1],
  build(channel, message, base, now) {
    const { chat } = message;
    const content: Array<Array<Record<string, string>>> = chat.lines.map((text) => [{ tag: 'text', text }]);
    if (chat.link) content.push([{ tag: 'a', text: chat.link.label, href: chat.link.url }]);
    const locale = message.language === 'zh-CN' ? 'zh_cn' : 'en_us';
    const payload: Record<string, unknown> = {
      msg_type: 'post',
      content: { post: { [locale]: { title: chat.title, content } } },
    };
    if (channel.secret) {
      const timestamp = String(Math.floor(now.getTime() / 1000));
      payload.timestamp = timestamp;
      payload.sign = feishuSign(channel.secret, timestamp);
    }
    const url = under(base, `open-apis/bot/v2/hook/${channel.token}`);
    return { url, headers: jsonHeaders(), body: JSON.stringify(payload) };
  },
  classify: (outcome) =>
    classifyCodeAnswer(
      outcome,
      'Feishu',
      { code: ['code', 'StatusCode'], message: ['msg', 'StatusMessage'] },
      RETRYABLE,
    ),
};

export function feishuSign(secret: string, timestamp: string): string {
  return createHmac('sha256', `${timestamp}\n${secret}`).update('').digest('base64');
}
