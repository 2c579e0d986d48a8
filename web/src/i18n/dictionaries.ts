/**
 * The dictionaries, each its own chunk: a page loads only its reader's language (~6 KB compressed each; issue 15,
 * point 1). The boot starts loading it beside the session question; the language provider renders once it is here.
 */
import type { MessageKey } from './en';
import type { Locale } from './format';

export type Dictionary = Record<MessageKey, string>;

const LOADERS: Record<Locale, () => Promise<Dictionary>> = {
  en: () => import('./en').then((m) => m.en),
  'zh-CN': () => import('./zh-CN').then((m) => m.zhCN),
};

const loaded = new Map<Locale, Dictionary>();
const loading = new Map<Locale, Promise<Dictionary>>();

/** The dictionary when it is here, for a synchronous render. */
export function dictionary(locale: Locale): Dictionary | undefined {
  return loaded.get(locale);
}

export function loadDictionary(locale: Locale): Promise<Dictionary> {
  let p = loading.get(locale);
  if (!p) {
    p = LOADERS[locale]().then((d) => {
      loaded.set(locale, d);
      return d;
    });
    // A chunk that failed to arrive may be asked for again.
    p.catch(() => loading.delete(locale));
    loading.set(locale, p);
  }
  return p;
}
