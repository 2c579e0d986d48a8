import type { Language } from '../../../infra/notify/types.js';
import type { ChangeableLimit, NotificationEvent } from './events.js';
import type { Fmt } from './format.js';
import type { Links } from './links.js';

/**
 * What a message says, before any format: one section of an e-mail, the lines of a chat message. Each language
 * writes its own sentences (catalogue-en.ts, catalogue-zh-cn.ts); the formats (HTML, text, chat) are shared.
 */
export interface Content {
  severity: 'info' | 'warning' | 'critical';
  subject: string;
  heading: string;
  intro: string;
  facts: Array<[label: string, value: string]>;
  action?: { label: string; url: string };
  note?: string;
}

export interface Catalogue {
  language: Language;
  /** Between a label and its value in text: ": " or the full-width "：". */
  colon: string;
  content(event: NotificationEvent, f: Fmt, links: Links): Content;
  limitName(limit: ChangeableLimit): string;
  footer: {
    why(audience: 'user' | 'admin', host: string): string;
    settings: string;
    unsubscribe: string;
  };
  digest: {
    subject(count: number): string;
    heading: string;
    intro(count: number): string;
    more(count: number): string;
    open: string;
  };
}

/** "$5.00", "120,000 tokens", "60 min"; 0 = no limit. */
export function limitValue(
  limit: ChangeableLimit,
  value: number,
  f: Fmt,
  words: { none: string; tokens: string; requests: string; minutes: string },
): string {
  if (value === 0) return words.none;
  if (limit.endsWith('_cost')) return f.money(value);
  if (limit === 'window_tokens') return `${f.number(value)} ${words.tokens}`;
  if (limit === 'window_requests') return `${f.number(value)} ${words.requests}`;
  if (limit === 'rate_window') return `${f.number(value)} ${words.minutes}`;
  return f.number(value);
}

/** 50 % is news, 80 and 95 % a warning, 100 % the limit itself. */
export const thresholdSeverity = (t: number): Content['severity'] =>
  t >= 100 ? 'critical' : t >= 80 ? 'warning' : 'info';
