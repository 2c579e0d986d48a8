import type { Language } from '../../../infra/notify/types.js';
import type { Content } from './catalogue.js';

/**
 * The e-mail's HTML: tables and inline styles (what Gmail, Outlook and Apple Mail all render), one column at most
 * 560 px wide (Outlook for Windows, which ignores max-width, gets a fixed-width table of its own), no images. Light by default; clients that honour `prefers-color-scheme` (Apple Mail, Outlook on
 * the web via `[data-ogsc]`) get dark colours from the classes, and clients that invert colours on their own
 * meet mid-tone accents that stay readable either way. Every text passes through `esc`: key names and server
 * errors are not ours to trust.
 */
export interface EmailLayout {
  language: Language;
  subject: string;
  /** The inbox preview line (hidden in the message itself). */
  preheader: string;
  sections: Array<Omit<Content, 'subject'>>;
  /** A line above the sections (a digest's count). */
  lead?: string;
  footer: { text: string; links: Array<{ label: string; url: string }> };
}

const ACCENT: Record<Content['severity'], string> = { info: '#2563eb', warning: '#d97706', critical: '#dc2626' };
const FONT =
  "-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,'Helvetica Neue',Arial,'PingFang SC','Hiragino Sans GB','Microsoft YaHei',sans-serif";

const DARK = `
  @media (prefers-color-scheme: dark) {
    .kp-bg { background: #18181b !important; }
    .kp-card { background: #27272a !important; border-color: #3f3f46 !important; }
    .kp-text { color: #f4f4f5 !important; }
    .kp-muted { color: #a1a1aa !important; }
    .kp-rule { border-color: #3f3f46 !important; }
    .kp-link { color: #93c5fd !important; }
  }
  [data-ogsc] .kp-text { color: #f4f4f5 !important; }
  [data-ogsc] .kp-muted { color: #a1a1aa !important; }
  [data-ogsc] .kp-link { color: #93c5fd !important; }`;

export function emailHtml(m: EmailLayout): string {
  const tag = m.sections.length > 1 ? 'h2' : 'h1';
  const sections = m.sections.map((s) => section(s, tag)).join(rule());
  const lead = m.lead
    ? `<p class="kp-muted" style="margin:0 0 16px;font-size:14px;color:#52525b">${esc(m.lead)}</p>`
    : '';
  const links = m.footer.links
    .map(
      (l) =>
        `<a class="kp-link" href="${attr(l.url)}" style="color:#2563eb;text-decoration:underline">${esc(l.label)}</a>`,
    )
    .join(' &middot; ');
  return `<!doctype html>
<html lang="${m.language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="supported-color-schemes" content="light dark">
<title>${esc(m.subject)}</title>
<style>${DARK}
</style>
</head>
<body class="kp-bg" style="margin:0;padding:0;background:#f4f4f5;font-family:${FONT}">
<div style="display:none;max-height:0;overflow:hidden;opacity:0">${esc(m.preheader)}</div>
<table role="presentation" class="kp-bg" width="100%" cellpadding="0" cellspacing="0" style="background:#f4f4f5">
<tr><td align="center" style="padding:24px 12px">
<!--[if mso]><table role="presentation" width="560" align="center" cellpadding="0" cellspacing="0"><tr><td><![endif]-->
<table role="presentation" class="kp-card" width="100%" cellpadding="0" cellspacing="0" style="max-width:560px;background:#ffffff;border:1px solid #e4e4e7;border-radius:8px">
<tr><td style="padding:24px">
${lead}${sections}
</td></tr>
</table>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:560px">
<tr><td class="kp-muted" style="padding:16px 8px;font-size:12px;line-height:18px;color:#71717a">
${esc(m.footer.text)}<br>${links}
</td></tr>
</table>
<!--[if mso]></td></tr></table><![endif]-->
</td></tr>
</table>
</body>
</html>
`;
}

function section(s: Omit<Content, 'subject'>, tag: 'h1' | 'h2'): string {
  const accent = ACCENT[s.severity];
  const facts = s.facts.length
    ? `<table role="presentation" cellpadding="0" cellspacing="0" style="margin:0 0 16px;font-size:14px;line-height:20px">${s.facts
        .map(
          ([label, value]) =>
            `<tr><td class="kp-muted" style="padding:2px 16px 2px 0;color:#52525b;vertical-align:top;white-space:nowrap">${esc(label)}</td><td class="kp-text" style="padding:2px 0;color:#18181b">${esc(value)}</td></tr>`,
        )
        .join('')}</table>`
    : '';
  const action = s.action
    ? `<p style="margin:0 0 8px"><a href="${attr(s.action.url)}" style="display:inline-block;padding:10px 18px;background:${accent};color:#ffffff;text-decoration:none;border-radius:6px;font-size:14px;font-weight:600">${esc(s.action.label)}</a></p>`
    : '';
  const note = s.note
    ? `<p class="kp-muted" style="margin:8px 0 0;font-size:13px;color:#52525b">${esc(s.note)}</p>`
    : '';
  return `<div style="border-left:4px solid ${accent};padding-left:12px;margin:0 0 12px">
<${tag} class="kp-text" style="margin:0;font-size:18px;line-height:26px;color:#18181b">${esc(s.heading)}</${tag}>
</div>
<p class="kp-text" style="margin:0 0 16px;font-size:15px;line-height:22px;color:#18181b">${esc(s.intro)}</p>
${facts}${action}${note}`;
}

const rule = () => '<hr class="kp-rule" style="border:0;border-top:1px solid #e4e4e7;margin:24px 0">';

export const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

const attr = esc;
