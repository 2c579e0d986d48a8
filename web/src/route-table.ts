/**
 * Every page of the app, as data: its URL pattern, the page module that draws it (pages/registry.tsx, one lazy
 * chunk each), its title and who may see it. The router reads it, the boot preloads the matched page's chunk from
 * it, and the browser suite (tests/e2e/pages.spec.ts) visits every entry — a page added here is checked at 375 px,
 * with axe and for its title without anyone listing it again. No React and no page code here: Node reads it too.
 */
import type { MessageKey } from './i18n/en.js';

/** `public`: signed-out pages; `user`: any signed-in user; `admin`: the page says "for administrators" to others. */
export type Access = 'public' | 'user' | 'admin';

export interface RouteDef {
  /** `/keys/:id`: a `:name` part matches one path segment. */
  path: string;
  page: string;
  /** The page's name in the title bar ("API keys · Claude Key Portal"). */
  title: MessageKey;
  access: Access;
}

export const ROUTES = [
  { path: '/login', page: 'login', title: 'auth.login.title', access: 'public' },
  { path: '/register', page: 'register', title: 'auth.register.title', access: 'public' },
  { path: '/sso', page: 'sso', title: 'sso.title', access: 'public' },
  { path: '/', page: 'dashboard', title: 'dash.title', access: 'user' },
  { path: '/keys', page: 'keys', title: 'keys.title', access: 'user' },
  { path: '/keys/:id', page: 'keyDetail', title: 'keys.title', access: 'user' },
  { path: '/spend', page: 'spend', title: 'spend.title', access: 'user' },
  { path: '/statement', page: 'statement', title: 'statement.title', access: 'user' },
  { path: '/compare', page: 'compare', title: 'compare.title', access: 'user' },
  { path: '/leaderboard', page: 'leaderboard', title: 'lb.title', access: 'user' },
  { path: '/export', page: 'export', title: 'export.title', access: 'user' },
  { path: '/settings', page: 'settings', title: 'settings.title', access: 'user' },
  { path: '/two-factor', page: 'twoFactor', title: 'mfa.page', access: 'user' },
  { path: '/admin', page: 'admin', title: 'admin.title', access: 'admin' },
  { path: '/admin/users', page: 'admin', title: 'admin.tab.users', access: 'admin' },
  { path: '/admin/keys', page: 'admin', title: 'admin.tab.keys', access: 'admin' },
  { path: '/admin/statements', page: 'admin', title: 'admin.tab.statements', access: 'admin' },
  { path: '/admin/invites', page: 'admin', title: 'admin.tab.invites', access: 'admin' },
  { path: '/admin/cache', page: 'admin', title: 'admin.tab.cache', access: 'admin' },
  { path: '/admin/notifications', page: 'admin', title: 'admin.tab.notifications', access: 'admin' },
] as const satisfies readonly RouteDef[];

export type PageId = (typeof ROUTES)[number]['page'] | 'notFound';

export interface RouteMatch {
  route: RouteDef & { page: PageId };
  params: Record<string, string>;
}

/** The route of a pathname (a trailing slash ignored), or null: the not-found page. */
export function matchRoute(pathname: string): RouteMatch | null {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  for (const route of ROUTES) {
    const params = matchPath(route.path, path);
    if (params) return { route, params };
  }
  return null;
}

/** `/keys/:id` against `/keys/abc` → `{id: 'abc'}`; null when it does not match. */
export function matchPath(pattern: string, pathname: string): Record<string, string> | null {
  const p = pattern.split('/').filter(Boolean);
  const s = pathname.split('/').filter(Boolean);
  if (p.length !== s.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    if (p[i].startsWith(':')) {
      try {
        params[p[i].slice(1)] = decodeURIComponent(s[i]);
      } catch {
        return null;
      }
    } else if (p[i] !== s[i]) return null;
  }
  return params;
}
