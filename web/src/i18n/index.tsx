import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { setIssueWording } from '../api/client';
import { dictionary, loadDictionary } from './dictionaries';

export { loadDictionary } from './dictionaries';

import type { MessageKey } from './en';
import { type Formatter, formatter, type Locale } from './format';
import { wordIssue } from './issues';

export type { MessageKey } from './en';
export type { Formatter, Locale } from './format';

export const LOCALES: { id: Locale; label: string }[] = [
  { id: 'en', label: 'English' },
  { id: 'zh-CN', label: '简体中文' },
];

export const STORAGE_KEY = 'kp.locale';

/** The remembered choice, else the browser's first language we speak, else English. */
export function detectLocale(stored: string | null, languages: readonly string[]): Locale {
  if (stored === 'en' || stored === 'zh-CN') return stored;
  for (const lang of languages) {
    const l = lang.toLowerCase();
    if (l.startsWith('zh')) return 'zh-CN';
    if (l.startsWith('en')) return 'en';
  }
  return 'en';
}

export type Vars = Record<string, string | number>;
export type Translate = (key: MessageKey, vars?: Vars) => string;

/** Needs the locale's dictionary loaded (loadDictionary); zh-CN translates every key (i18n.test.tsx). */
export function translate(locale: Locale, key: MessageKey, vars?: Vars): string {
  const text = dictionary(locale)?.[key] ?? dictionary('en')?.[key] ?? key;
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

interface I18n {
  locale: Locale;
  setLocale(l: Locale): void;
  t: Translate;
  fmt: Formatter;
}

const Ctx = createContext<I18n | null>(null);

function readStored(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

/** The remembered choice, else the browser's languages: what the boot loads the dictionary for. */
export function initialLocale(): Locale {
  return detectLocale(readStored(), typeof navigator === 'undefined' ? [] : navigator.languages);
}

export function I18nProvider({ children, initial }: { children: ReactNode; initial?: Locale }) {
  const [locale, setLocaleState] = useState<Locale>(() => initial ?? initialLocale());
  // Bumped when a dictionary arrives (or failed to: tried again shortly).
  const [, setArrivals] = useState(0);
  const ready = Boolean(dictionary(locale));
  useEffect(() => {
    if (ready) return;
    let retry: ReturnType<typeof setTimeout> | undefined;
    loadDictionary(locale).then(
      () => setArrivals((n) => n + 1),
      () => {
        retry = setTimeout(() => setArrivals((n) => n + 1), 2000);
      },
    );
    return () => clearTimeout(retry);
  }, [locale, ready]);
  const setLocale = useCallback((l: Locale) => {
    const show = () => {
      setLocaleState(l);
      try {
        localStorage.setItem(STORAGE_KEY, l);
      } catch {
        // Private mode: the choice lasts for this page only.
      }
    };
    // The page keeps its language until the other one is here: never a flash of message keys.
    if (dictionary(l)) show();
    else loadDictionary(l).then(show, () => undefined);
  }, []);
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  const value = useMemo<I18n>(() => {
    const t: Translate = (key, vars) => translate(locale, key, vars);
    const fmt = formatter(locale);
    // Set while rendering, before any child reads an ApiError's field message in this language.
    setIssueWording((issue) => wordIssue(t, fmt, issue));
    return { locale, setLocale, t, fmt };
  }, [locale, setLocale]);
  if (!ready) return null;
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useI18n(): I18n {
  const v = useContext(Ctx);
  if (!v) throw new Error('useI18n outside I18nProvider');
  return v;
}
