import type { ChatMessage, Language, OutboundMessage } from '../../../infra/notify/types.js';
import type { Catalogue, Content } from './catalogue.js';
import { en } from './catalogue-en.js';
import { zhCN } from './catalogue-zh-cn.js';
import { contentOf } from './content.js';
import { emailHtml } from './email-html.js';
import { audienceOf, EVENT_TYPES, type NotificationEvent, publicData } from './events.js';
import { createFmt } from './format.js';
import { portalLinks } from './links.js';

export const CATALOGUES: Record<Language, Catalogue> = { en, 'zh-CN': zhCN };

export interface RenderContext {
  language: Language;
  /** PUBLIC_URL: every link in a message points below it. */
  publicUrl: URL;
  /** IANA zone for times in the message (e.g. the CRS time zone's `Etc/GMT-8`); UTC by default. */
  timeZone?: string;
  /** The recipient's one-click unsubscribe URL, made by the caller (the route is the notification API's). */
  unsubscribeUrl?: string;
}

export interface RenderedEvent {
  id: string;
  time: Date;
  event: NotificationEvent;
}

export type Rendered = Pick<OutboundMessage, 'subject' | 'text' | 'html' | 'chat'>;

/** The message for one event in one language: subject, e-mail HTML and text, the chat rendering. */
export function renderEvent(event: NotificationEvent, ctx: RenderContext): Rendered {
  const cat = CATALOGUES[ctx.language];
  const c = contentOf(event, cat, createFmt(ctx.language, ctx.timeZone), portalLinks(ctx.publicUrl));
  const footer = footerOf(cat, audienceOf(event), ctx);
  return {
    subject: c.subject,
    text: [sectionText(c, cat.colon), footerText(footer, cat.colon)].join('\n\n'),
    html: emailHtml({ language: ctx.language, subject: c.subject, preheader: c.intro, sections: [c], footer }),
    chat: chatOf(c, cat.colon),
  };
}

/** What `send` takes for one event: the rendering plus the envelope receivers de-duplicate on. */
export function composeMessage(e: RenderedEvent, ctx: RenderContext): OutboundMessage {
  return {
    id: e.id,
    type: EVENT_TYPES[e.event.kind],
    time: e.time,
    language: ctx.language,
    data: publicData(e.event),
    ...renderEvent(e.event, ctx),
    ...(ctx.unsubscribeUrl ? { unsubscribeUrl: ctx.unsubscribeUrl } : {}),
  };
}

export function chatOf(c: Content, colon: string): ChatMessage {
  return {
    severity: c.severity,
    title: c.subject,
    lines: [c.intro, ...c.facts.map(([label, value]) => `${label}${colon}${value}`), ...(c.note ? [c.note] : [])],
    ...(c.action ? { link: c.action } : {}),
  };
}

export function sectionText(c: Omit<Content, 'subject'>, colon: string): string {
  const lines = [c.heading, '', c.intro];
  if (c.facts.length) lines.push('', ...c.facts.map(([label, value]) => `${label}${colon}${value}`));
  if (c.action) lines.push('', `${c.action.label}${colon}${c.action.url}`);
  if (c.note) lines.push('', c.note);
  return lines.join('\n');
}

export interface Footer {
  text: string;
  links: Array<{ label: string; url: string }>;
}

export function footerOf(cat: Catalogue, audience: 'user' | 'admin', ctx: RenderContext): Footer {
  const links = [{ label: cat.footer.settings, url: portalLinks(ctx.publicUrl).settings }];
  if (ctx.unsubscribeUrl) links.push({ label: cat.footer.unsubscribe, url: ctx.unsubscribeUrl });
  return { text: cat.footer.why(audience, ctx.publicUrl.host), links };
}

export function footerText(f: Footer, colon: string): string {
  // "-- " is the signature separator: mail clients fold what follows it.
  return ['-- ', f.text, ...f.links.map((l) => `${l.label}${colon}${l.url}`)].join('\n');
}
