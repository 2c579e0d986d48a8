import { escapeSlack, plainChat, truncateChars, under } from '../chat-markup.js';
import { classifyHttp } from '../classify.js';
import { jsonHeaders, type PlatformFormat } from './format.js';

/**
 * Slack incoming webhooks: `POST <base>/services/T…/B…/secret` with `text` (the notification fallback) and blocks.
 * Slack answers with HTTP statuses (400 invalid_payload, 403 invalid_token, 404 no_service, 410
 * channel_is_archived, 429 with Retry-After), so the generic HTTP rules classify it.
 */
export const slack: PlatformFormat<'slack'> = {
  token: /^[A-Za-z0-9]+\/[A-Za-z0-9]+\/[A-Za-z0-9]+$/,
  tokenFromUrl: (url) => url.pathname.match(/^\/services\/([^?#]+)$/)?.[1],
  build(channel, message, base) {
    const { chat } = message;
    const body = [...chat.lines.map(escapeSlack)];
    if (chat.link) body.push(`<${chat.link.url}|${escapeSlack(chat.link.label)}>`);
    const payload = {
      // `text` is mrkdwn too (the notification's fallback); the header block is plain text, safe as it is.
      text: truncateChars(escapeSlack(plainChat(chat)), 3000),
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: truncateChars(chat.title, 150), emoji: false } },
        { type: 'section', text: { type: 'mrkdwn', text: truncateChars(body.join('\n'), 3000) } },
      ],
      unfurl_links: false,
    };
    return { url: under(base, `services/${channel.token}`), headers: jsonHeaders(), body: JSON.stringify(payload) };
  },
  classify: (outcome) => classifyHttp(outcome),
};
