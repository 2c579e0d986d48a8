export type { Catalogue, Content } from './catalogue.js';
export { composeDigest } from './digest.js';
export * from './events.js';
export { createFmt, type Fmt } from './format.js';
export { type Links, portalLinks } from './links.js';
export { CATALOGUES, composeMessage, type RenderContext, type RenderedEvent, renderEvent } from './render.js';
export { type UnsubscribeState, unsubscribePage } from './unsubscribe-page.js';
