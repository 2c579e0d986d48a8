import { markdownSafe, truncateBytes, under } from '../chat-markup.js';
import { classifyCodeAnswer } from '../classify.js';
import { jsonHeaders, type PlatformFormat } from './format.js';

/** -1: system busy; 45009: "api freq out of limit" (20 messages a minute per robot). */
const RETRYABLE = new Set([-1, 45009]);

/**
 * WeCom (企业微信) group robots: `POST <base>/cgi-bin/webhook/send?key=…` with markdown (at most 4096 bytes), the
 * title coloured with WeCom's `<font color>`. WeCom answers 200 with `errcode` 0 on success; 93000 is an invalid
 * robot key. Group robots have no signing scheme: the key in the URL is the only credential.
 */
export const wecom: PlatformFormat<'wecom'> = {
  token: /^[A-Za-z0-9-]+$/,
  tokenFromUrl: (url) =>
    url.pathname === '/cgi-bin/webhook/send' ? (url.searchParams.get('key') ?? undefined) : undefined,
  build(channel, message, base) {
    const { chat } = message;
    const color = chat.severity === 'info' ? 'info' : 'warning';
    const parts = [`**<font color="${color}">${markdownSafe(chat.title)}</font>**`, ...chat.lines.map(markdownSafe)];
    if (chat.link) parts.push(`[${markdownSafe(chat.link.label)}](${chat.link.url})`);
    const payload = { msgtype: 'markdown', markdown: { content: truncateBytes(parts.join('\n'), 4096) } };
    const url = under(base, 'cgi-bin/webhook/send');
    url.searchParams.set('key', channel.token);
    return { url, headers: jsonHeaders(), body: JSON.stringify(payload) };
  },
  classify: (outcome) => classifyCodeAnswer(outcome, 'WeCom', { code: ['errcode'], message: ['errmsg'] }, RETRYABLE),
};
