/**
 * `document.title` per page, in the reader's language (issue 15, point 5): "<detail> · <page> · <app>". The route
 * table gives each page its name; a page may add what it shows (a key's name) with `usePageTitle`. Screen readers
 * announce the title on navigation, and a tab or a bookmark says which page it is.
 */
import { createContext, type ReactNode, useContext, useEffect, useMemo, useState } from 'react';
import { type MessageKey, useI18n } from '../i18n';
import { useLocation } from './router';

interface TitleState {
  setDetail(detail: { path: string; text: string } | null): void;
}

const Ctx = createContext<TitleState | null>(null);

/** Sets the title for the page at `pathname`; `page` is the route table's title, undefined for a page not found. */
export function PageTitleProvider({ page, children }: { page: MessageKey | undefined; children: ReactNode }) {
  const { t } = useI18n();
  const { pathname } = useLocation();
  const [detail, setDetail] = useState<{ path: string; text: string } | null>(null);
  // A detail belongs to the page that set it: another page never shows the previous one's.
  const own = detail?.path === pathname ? detail.text : undefined;
  const title = [own, t(page ?? 'notFound.title'), t('app.name')].filter(Boolean).join(' · ');
  useEffect(() => {
    document.title = title;
  }, [title]);
  const value = useMemo(() => ({ setDetail }), []);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

/** Adds what the page shows to its title (a key's name); undefined while it is loading. */
export function usePageTitle(detail: string | undefined): void {
  const ctx = useContext(Ctx);
  const { pathname } = useLocation();
  useEffect(() => {
    if (!ctx || !detail) return;
    ctx.setDetail({ path: pathname, text: detail });
    return () => ctx.setDetail(null);
  }, [ctx, detail, pathname]);
}
