import { failed } from '../../types.js';
import { escapeHtml, truncateChars, under } from '../chat-markup.js';
import { classifyHttp, jsonBody } from '../classify.js';
import { jsonHeaders, type PlatformFormat } from './format.js';

/**
 * Telegram bots: `POST <base>/bot<token>/sendMessage` with `chat_id` and HTML text (at most 4096 characters).
 * Telegram answers with HTTP statuses (400 chat not found, 401 bad token, 403 bot blocked, 429 with
 * `parameters.retry_after` in seconds) and `ok: false` with a description on failure.
 */
export const telegram: PlatformFormat<'telegram'> = {
  token: /^\d+:[A-Za-z0-9_-]+$/,
  tokenFromUrl: (url) => url.pathname.match(/^\/bot(\d+:[A-Za-z0-9_-]+)(\/.*)?$/)?.[1],
  build(channel, message, base) {
    const { chat } = message;
    const parts = [`<b>${escapeHtml(chat.title)}</b>`, ...chat.lines.map(escapeHtml)];
    if (chat.link) parts.push(`<a href="${escapeHtml(chat.link.url)}">${escapeHtml(chat.link.label)}</a>`);
    const payload = {
      chat_id: channel.chatId,
      text: truncateChars(parts.join('\n'), 4096),
      parse_mode: 'HTML',
      link_preview_options: { is_disabled: true },
    };
    return {
      url: under(base, `bot${channel.token}/sendMessage`),
      headers: jsonHeaders(),
      body: JSON.stringify(payload),
    };
  },
  classify(outcome) {
    const result = classifyHttp(outcome);
    if (outcome.kind !== 'response') return result;
    const body = jsonBody(outcome.body);
    if (result.ok)
      return body?.ok === false ? failed(`Telegram: ${String(body.description ?? 'not ok')}`, false) : result;
    const retryAfter = Number((body?.parameters as { retry_after?: unknown } | undefined)?.retry_after);
    const error = body?.description ? `Telegram ${outcome.status}: ${String(body.description)}` : result.error;
    return failed(error, result.retryable, {
      retryAfterMs: Number.isFinite(retryAfter) ? retryAfter * 1000 : result.retryAfterMs,
    });
  },
};
