import type { Language } from '../../../infra/notify/types.js';
import { esc } from './email-html.js';
import { portalLinks } from './links.js';
import { CATALOGUES } from './render.js';

/**
 * The page behind an e-mail's unsubscribe link, in the recipient's language. A GET only asks (mail scanners follow
 * links, RFC 8058 §1), its button POSTs to the same address; mail clients' one-click POST lands there too.
 */
export type UnsubscribeState = { step: 'confirm' | 'done'; address: string } | { step: 'invalid' };

export function unsubscribePage(state: UnsubscribeState, language: Language, publicUrl: URL): string {
  const u = CATALOGUES[language].unsubscribe;
  const body =
    state.step === 'invalid'
      ? `<p>${esc(u.invalid)}</p>`
      : state.step === 'confirm'
        ? `<p>${esc(u.confirm(state.address))}</p>
<form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">${esc(u.button)}</button></form>`
        : `<p>${esc(u.done(state.address))}</p>`;
  return `<!doctype html>
<html lang="${language}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">
<title>${esc(u.title)}</title>
<style>body{font-family:system-ui,-apple-system,"Segoe UI","PingFang SC","Microsoft YaHei",sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;line-height:1.5;color:#18181b}button{font:inherit;padding:.5rem 1.1rem;border:0;border-radius:6px;background:#2563eb;color:#fff;cursor:pointer}a{color:#2563eb}</style>
</head>
<body>
<h1>${esc(u.title)}</h1>
${body}
<p><a href="${esc(portalLinks(publicUrl).settings)}">${esc(u.settings)}</a></p>
</body>
</html>
`;
}
