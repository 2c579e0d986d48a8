/**
 * One lazy chunk per page (issue 15, point 1): a page's code, and the charts library with the pages that draw charts,
 * load only when that page is shown. `preload` starts a page's chunks early — the boot does it for the first page,
 * beside the session question — and `Component` renders it; both share one import. `prefetch` starts the page's own
 * first request at boot too, for a browser that was signed in (decision 034).
 * Adding a page: an entry here and a row in route-table.ts (the compiler asks for the entry once the row exists).
 */
import type { QueryClient } from '@tanstack/react-query';
import { type ComponentType, type LazyExoticComponent, lazy, type ReactNode } from 'react';
import type { User } from '../api/contract';
import { keyQuery, usageQuery } from '../api/queries';
import { preloadCharts, preloadLineChart } from '../components/lazy-charts';
import { parseRangeKey } from '../lib/range';
import type { PageId } from '../route-table';
import { NotFoundPage } from './not-found';

export interface PageProps {
  /** Null only on the public pages. */
  user: User | null;
  params: Record<string, string>;
  pathname: string;
}

export interface PageContext {
  params: Record<string, string>;
  search: URLSearchParams;
}

export interface PageEntry {
  Component: LazyExoticComponent<ComponentType<PageProps>> | ComponentType<PageProps>;
  preload(): Promise<unknown>;
  prefetch?(qc: QueryClient, ctx: PageContext): void;
}

interface Extras {
  /** Chunks the page will ask for as soon as it renders (its chart). */
  with?: () => Promise<unknown>;
  prefetch?: PageEntry['prefetch'];
}

function lazyPage<M>(load: () => Promise<M>, render: (m: M, p: PageProps) => ReactNode, extras: Extras = {}) {
  let loaded: Promise<{ default: ComponentType<PageProps> }> | undefined;
  const page = () => {
    loaded ??= load().then((m) => ({ default: (p: PageProps) => render(m, p) }));
    // A failed chunk (a new release removed it, the network dropped) may be asked for again.
    loaded.catch(() => {
      loaded = undefined;
    });
    return loaded;
  };
  const preload = () => Promise.all([page(), extras.with?.()]);
  return { Component: lazy(page), preload, prefetch: extras.prefetch } satisfies PageEntry;
}

/** A page that is signed in: the router renders it only with a user. */
const signedIn = (p: PageProps) => p.user as User;

export const PAGES: Record<PageId, PageEntry> = {
  login: lazyPage(
    () => import('./login'),
    (m) => <m.LoginPage />,
  ),
  register: lazyPage(
    () => import('./auth'),
    (m) => <m.RegisterPage />,
  ),
  dashboard: lazyPage(
    () => import('./dashboard'),
    (m) => <m.DashboardPage />,
    {
      with: preloadCharts,
      prefetch: (qc, { search }) => void qc.prefetchQuery(usageQuery(parseRangeKey(search.get('range')))),
    },
  ),
  sso: lazyPage(
    () => import('./sso-pending'),
    (m) => <m.SsoPendingPage />,
  ),
  keys: lazyPage(
    () => import('./keys'),
    (m) => <m.KeysPage />,
  ),
  keyDetail: lazyPage(
    () => import('./key-detail'),
    (m, p) => <m.KeyDetailPage key={p.params.id} id={p.params.id} />,
    {
      with: preloadCharts,
      // The key alone: its usage waits for it, so a key that does not exist costs one request.
      prefetch: (qc, { params }) => void qc.prefetchQuery(keyQuery(params.id)),
    },
  ),
  spend: lazyPage(
    () => import('./spend'),
    (m) => <m.SpendPage />,
  ),
  statement: lazyPage(
    () => import('./statement'),
    (m) => <m.StatementPage />,
  ),
  compare: lazyPage(
    () => import('./compare'),
    (m) => <m.ComparePage />,
    { with: preloadLineChart },
  ),
  leaderboard: lazyPage(
    () => import('./leaderboard'),
    (m, p) => <m.LeaderboardPage user={signedIn(p)} />,
  ),
  export: lazyPage(
    () => import('./export'),
    (m) => <m.ExportPage />,
  ),
  settings: lazyPage(
    () => import('./settings'),
    (m, p) => <m.SettingsPage user={signedIn(p)} />,
  ),
  twoFactor: lazyPage(
    () => import('./two-factor'),
    (m) => <m.TwoFactorPage />,
  ),
  admin: lazyPage(
    () => import('./admin'),
    (m, p) => <m.AdminPage user={signedIn(p)} pathname={p.pathname} />,
  ),
  notFound: { Component: NotFoundPage, preload: () => Promise.resolve() },
};
