import { type ReactNode, useEffect, useState } from 'react';
import type { User } from '../api/contract';
import { useMeta } from '../api/queries';
import { LOCALES, type Locale, type MessageKey, useI18n } from '../i18n';
import { useLogout } from '../lib/auth';
import { Link, NavLink, useLocation } from '../lib/router';
import { ThemeSelect } from '../lib/theme';

const NAV: { to: string; label: MessageKey; icon: string; exact?: boolean }[] = [
  { to: '/', label: 'nav.dashboard', icon: 'M3 13h8V3H3zm0 8h8v-6H3zm10 0h8V11h-8zm0-18v6h8V3z', exact: true },
  {
    to: '/keys',
    label: 'nav.keys',
    icon: 'M14 7a5 5 0 1 1-4.9 6H3v-3h2V8h3v2h1.1A5 5 0 0 1 14 7zm0 3a2 2 0 1 0 0 4 2 2 0 0 0 0-4z',
  },
  {
    to: '/spend',
    label: 'nav.spend',
    icon: 'M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zm1 15v2h-2v-2a4 4 0 0 1-3-3.5h2a2 2 0 0 0 2 1.5h1a1.5 1.5 0 0 0 0-3h-2a3.5 3.5 0 0 1-.5-7V5h2v2a3.5 3.5 0 0 1 3 3h-2a1.5 1.5 0 0 0-1.5-1H11a1.5 1.5 0 0 0 0 3h2a3.5 3.5 0 0 1 0 7z',
  },
  {
    to: '/statement',
    label: 'nav.statement',
    icon: 'M6 2h9l5 5v15H6zm8 1.5V8h4.5zM9 12h8v1.5H9zm0 3.5h8V17H9zm0-7h4V10H9z',
  },
  { to: '/compare', label: 'nav.compare', icon: 'M3 17l6-6 4 4 8-8v3h2V3h-7v2h3l-6 6-4-4-7 7z' },
  { to: '/leaderboard', label: 'nav.leaderboard', icon: 'M4 20h4V10H4zm6 0h4V4h-4zm6 0h4v-7h-4z' },
  { to: '/export', label: 'nav.export', icon: 'M12 3v10l4-4 1.4 1.4L12 16l-5.4-5.6L8 9l4 4V3zM4 19h16v2H4z' },
  {
    to: '/settings',
    label: 'nav.settings',
    icon: 'M12 8a4 4 0 1 1 0 8 4 4 0 0 1 0-8zm8.9 5.5-2 .3-.5 1.2 1.2 1.6-1.8 1.8-1.6-1.2-1.2.5-.3 2h-2.6l-.3-2-1.2-.5-1.6 1.2-1.8-1.8 1.2-1.6-.5-1.2-2-.3v-2.6l2-.3.5-1.2-1.2-1.6 1.8-1.8 1.6 1.2 1.2-.5.3-2h2.6l.3 2 1.2.5 1.6-1.2 1.8 1.8-1.2 1.6.5 1.2 2 .3z',
  },
];

const ADMIN_ICON = 'M12 2l8 3v6c0 5-3.4 9.4-8 11-4.6-1.6-8-6-8-11V5zm0 5a3 3 0 1 0 0 6 3 3 0 0 0 0-6z';

function Icon({ d }: { d: string }) {
  return (
    <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" fill="currentColor">
      <path d={d} />
    </svg>
  );
}

export function LanguageSelect({ id, className }: { id?: string; className?: string }) {
  const { t, locale, setLocale } = useI18n();
  return (
    <select
      id={id}
      className={`input input-sm ${className ?? ''}`}
      aria-label={t('lang.label')}
      value={locale}
      onChange={(e) => setLocale(e.target.value as Locale)}
    >
      {LOCALES.map((l) => (
        <option key={l.id} value={l.id}>
          {l.label}
        </option>
      ))}
    </select>
  );
}

export function DemoBadge() {
  const { t } = useI18n();
  const meta = useMeta();
  if (meta.data?.mode !== 'demo') return null;
  return (
    <span className="badge badge-demo" title={t('badge.demoTitle')} data-testid="demo-badge">
      {t('badge.demo')}
    </span>
  );
}

/** The favicon's drawing, inline: an <img> of it would fetch the file a second time (issue 15, point 1). */
function Logo() {
  return (
    <svg viewBox="0 0 32 32" width="26" height="26" aria-hidden="true" className="logo">
      <rect width="32" height="32" rx="7" fill="#c2410c" />
      <path
        d="M11 20.5a4.5 4.5 0 1 1 4.2-6.1H25v3h-2v2.6h-3v-2.6h-4.8A4.5 4.5 0 0 1 11 20.5Zm0-3a1.5 1.5 0 1 0 0-3 1.5 1.5 0 0 0 0 3Z"
        fill="#fff"
      />
    </svg>
  );
}

export function Brand() {
  const { t } = useI18n();
  return (
    <span className="brand">
      <Logo />
      <span>{t('app.name')}</span>
    </span>
  );
}

/** The signed-in frame: top bar, side navigation (a drawer on phones), and the page. */
export function Layout({ user, children }: { user: User; children: ReactNode }) {
  const { t } = useI18n();
  const logout = useLogout();
  const [menuOpen, setMenuOpen] = useState(false);
  const { pathname } = useLocation();
  // biome-ignore lint/correctness/useExhaustiveDependencies: close the drawer whenever the page changes
  useEffect(() => setMenuOpen(false), [pathname]);

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t('app.skip')}
      </a>
      <header className="topbar">
        <button
          type="button"
          className="icon-btn menu-btn"
          aria-label={t('nav.menu')}
          aria-expanded={menuOpen}
          aria-controls="sidenav"
          onClick={() => setMenuOpen((o) => !o)}
        >
          <Icon d="M3 6h18v2H3zm0 5h18v2H3zm0 5h18v2H3z" />
        </button>
        <Link to="/" className="brand-link">
          <Brand />
        </Link>
        <DemoBadge />
        <div className="topbar-right">
          <ThemeSelect className="hide-sm" />
          <LanguageSelect className="hide-sm" />
          <span className="user-chip hide-sm" title={user.email}>
            <span className="avatar" aria-hidden="true">
              {(user.displayName || user.email).slice(0, 1).toUpperCase()}
            </span>
            {user.displayName || user.email}
          </span>
          <button type="button" className="btn btn-ghost btn-sm" onClick={() => logout.mutate()}>
            {t('nav.logout')}
          </button>
        </div>
      </header>
      <div className="body">
        <nav id="sidenav" className={`sidenav ${menuOpen ? 'open' : ''}`} aria-label={t('nav.main')}>
          <ul>
            {NAV.map((n) => (
              <li key={n.to}>
                <NavLink to={n.to} exact={n.exact} className="nav-link">
                  <Icon d={n.icon} />
                  {t(n.label)}
                </NavLink>
              </li>
            ))}
            {user.role === 'admin' && (
              <li>
                <NavLink to="/admin" className="nav-link">
                  <Icon d={ADMIN_ICON} />
                  {t('nav.admin')}
                </NavLink>
              </li>
            )}
          </ul>
          <div className="sidenav-foot show-sm">
            <div className="muted small">{user.email}</div>
            <LanguageSelect />
            <ThemeSelect />
          </div>
        </nav>
        {menuOpen && <div className="scrim" onClick={() => setMenuOpen(false)} aria-hidden="true" />}
        <main id="main" className="main" tabIndex={-1}>
          {children}
        </main>
      </div>
    </div>
  );
}
