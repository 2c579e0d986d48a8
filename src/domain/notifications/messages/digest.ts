import type { OutboundMessage } from '../../../infra/notify/types.js';
import { contentOf } from './content.js';
import { emailHtml } from './email-html.js';
import { audienceOf, DIGEST_TYPE, EVENT_TYPES, publicData } from './events.js';
import { createFmt } from './format.js';
import { portalLinks } from './links.js';
import { CATALOGUES, footerOf, footerText, type RenderContext, type RenderedEvent, sectionText } from './render.js';

/** A chat message lists this many events at most; the e-mail has room for all of them. */
const CHAT_ITEMS = 10;

/**
 * The daily digest: several events in one message, most severe first, then oldest first. The e-mail has a
 * section per event; the chat message one line per event (their subjects) and a link to the portal.
 */
export function composeDigest(digest: { id: string; time: Date; items: RenderedEvent[] }, ctx: RenderContext) {
  const cat = CATALOGUES[ctx.language];
  const f = createFmt(ctx.language, ctx.timeZone);
  const links = portalLinks(ctx.publicUrl);
  const rank = { critical: 0, warning: 1, info: 2 };
  const items = digest.items
    .map((item) => ({ item, c: contentOf(item.event, cat, f, links) }))
    .sort((a, b) => rank[a.c.severity] - rank[b.c.severity] || a.item.time.getTime() - b.item.time.getTime());
  const n = items.length;
  const admin = items.some(({ item }) => audienceOf(item.event) === 'admin');
  const footer = footerOf(cat, admin ? 'admin' : 'user', ctx);
  const subject = cat.digest.subject(n);
  const sections = items.map(({ c }) => c);
  const shown = items.slice(0, CHAT_ITEMS).map(({ c }) => `• ${c.subject}`);
  if (n > CHAT_ITEMS) shown.push(cat.digest.more(n - CHAT_ITEMS));
  const message: OutboundMessage = {
    id: digest.id,
    type: DIGEST_TYPE,
    time: digest.time,
    language: ctx.language,
    data: {
      events: items.map(({ item }) => ({
        id: item.id,
        type: EVENT_TYPES[item.event.kind],
        time: item.time.toISOString(),
        data: publicData(item.event),
      })),
    },
    subject,
    text: [
      cat.digest.heading,
      cat.digest.intro(n),
      ...sections.map((c) => sectionText(c, cat.colon)),
      footerText(footer, cat.colon),
    ].join('\n\n'),
    html: emailHtml({
      language: ctx.language,
      subject,
      preheader: cat.digest.intro(n),
      lead: cat.digest.intro(n),
      sections,
      footer,
    }),
    chat: {
      severity: sections[0]?.severity ?? 'info',
      title: subject,
      lines: shown,
      link: { label: cat.digest.open, url: links.home },
    },
    ...(ctx.unsubscribeUrl ? { unsubscribeUrl: ctx.unsubscribeUrl } : {}),
  };
  return message;
}
