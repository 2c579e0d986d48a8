import type { ChatMessage } from '../types.js';

/**
 * Escaping per chat markup. Chat lines are plain text that may hold what users typed (key names) or what a server
 * said (sync errors): each platform's renderer escapes them so they cannot form links, mentions or tags.
 */

/** Telegram's HTML parse mode and HTML attributes. */
export const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Slack mrkdwn: only &, < and > are control characters (`<url|text>`, `<!channel>`). */
export const escapeSlack = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const FULL_WIDTH: Record<string, string> = { '[': '［', ']': '］', '<': '＜', '>': '＞' };

/**
 * DingTalk and WeCom markdown have no documented escape: the characters that open links, tags (`<font>`) and
 * mentions (`<@userid>`) become their full-width forms, which read the same and do nothing.
 */
export const markdownSafe = (s: string): string => s.replace(/[[\]<>]/g, (c) => FULL_WIDTH[c]);

/** Title, lines and the link as plain text: the generic webhook's `text` and the fallback of rich formats. */
export function plainChat(chat: ChatMessage): string {
  const link = chat.link ? [`${chat.link.label}: ${chat.link.url}`] : [];
  return [chat.title, ...chat.lines, ...link].join('\n');
}

/** Cuts text to at most `max` UTF-8 bytes on a character boundary, marking the cut. */
export function truncateBytes(s: string, max: number): string {
  if (Buffer.byteLength(s) <= max) return s;
  let out = '';
  let size = 0;
  for (const ch of s) {
    const n = Buffer.byteLength(ch);
    if (size + n > max - 3) break;
    out += ch;
    size += n;
  }
  return `${out}…`;
}

/** Cuts text to at most `max` characters (code points), marking the cut. */
export function truncateChars(s: string, max: number): string {
  const chars = [...s];
  return chars.length <= max ? s : `${chars.slice(0, max - 1).join('')}…`;
}

/** A path below an operator's base URL, keeping the base's own path (a proxy may serve the API under a prefix). */
export function under(base: string, path: string): URL {
  // "./": a path such as `bot123:abc/sendMessage` would otherwise parse as a URL with the scheme "bot123:".
  return new URL(`./${path}`, base.endsWith('/') ? base : `${base}/`);
}
