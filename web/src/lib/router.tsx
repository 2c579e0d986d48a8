/**
 * A router small enough to read in one sitting: the History API, one subscription, and pattern matching for
 * the dozen routes of this app. Enough for a SPA whose server falls back to index.html for every page URL.
 */
import { type AnchorHTMLAttributes, type MouseEvent, useSyncExternalStore } from 'react';

const listeners = new Set<() => void>();

function subscribe(cb: () => void) {
  listeners.add(cb);
  window.addEventListener('popstate', cb);
  return () => {
    listeners.delete(cb);
    window.removeEventListener('popstate', cb);
  };
}

const current = () => window.location.pathname + window.location.search;

export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  if (to === current()) return;
  const samePath = new URL(to, window.location.origin).pathname === window.location.pathname;
  window.history[opts.replace ? 'replaceState' : 'pushState'](null, '', to);
  for (const l of listeners) l();
  // A new page starts at its top; a change of query string (filters, paging) keeps the scroll position.
  if (!samePath) window.scrollTo(0, 0);
}

export interface Location {
  pathname: string;
  search: URLSearchParams;
  /** pathname + search, for "come back here after login". */
  href: string;
}

export function useLocation(): Location {
  const href = useSyncExternalStore(subscribe, current, () => '/');
  const url = new URL(href, 'http://x');
  return { pathname: url.pathname, search: url.searchParams, href };
}

/** Replaces some query parameters of the current URL (undefined or '' removes one). */
export function setSearch(changes: Record<string, string | number | undefined>, replace = true): void {
  const url = new URL(window.location.href);
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined || v === '') url.searchParams.delete(k);
    else url.searchParams.set(k, String(v));
  }
  navigate(url.pathname + url.search, { replace });
}

// One matcher for the app: the route table's (route-table.ts).
export { matchPath } from '../route-table';

type LinkProps = AnchorHTMLAttributes<HTMLAnchorElement> & { to: string; replace?: boolean };

export function Link({ to, replace, onClick, ...rest }: LinkProps) {
  const handle = (e: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(e);
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    if (rest.target && rest.target !== '_self') return;
    e.preventDefault();
    navigate(to, { replace });
  };
  return <a href={to} onClick={handle} {...rest} />;
}

/** A link that marks itself as the current page (aria-current) when its path matches. */
export function NavLink({ to, exact, ...rest }: LinkProps & { exact?: boolean }) {
  const { pathname } = useLocation();
  const active = exact ? pathname === to : pathname === to || pathname.startsWith(`${to}/`);
  return <Link to={to} aria-current={active ? 'page' : undefined} {...rest} />;
}
