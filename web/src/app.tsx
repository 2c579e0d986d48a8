import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { type ReactNode, useEffect, useState } from 'react';
import { ApiError } from './api/client';
import type { User } from './api/contract';
import { ErrorMessage } from './components/error-message';
import { Layout } from './components/layout';
import { ToastProvider } from './components/toast';
import { I18nProvider } from './i18n';
import { loginUrl, safeNext, useMe, useSessionExpiry } from './lib/auth';
import { matchPath, navigate, useLocation } from './lib/router';
import { AdminPage } from './pages/admin';
import { RegisterPage } from './pages/auth';
import { ComparePage } from './pages/compare';
import { DashboardPage } from './pages/dashboard';
import { ExportPage } from './pages/export';
import { KeyDetailPage } from './pages/key-detail';
import { KeysPage } from './pages/keys';
import { LeaderboardPage } from './pages/leaderboard';
import { LoginPage } from './pages/login';
import { NotFoundPage } from './pages/not-found';
import { SettingsPage } from './pages/settings';
import { SpendPage } from './pages/spend';
import { SsoPendingPage } from './pages/sso-pending';
import { StatementPage } from './pages/statement';
import { TwoFactorPage } from './pages/two-factor';

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        refetchOnWindowFocus: true,
        // A 4xx will not fix itself; a 5xx or a dropped connection may.
        retry: (n, e) => !(e instanceof ApiError && e.status >= 400 && e.status < 500) && n < 2,
      },
    },
  });
}

function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}

function page(pathname: string, user: User): ReactNode {
  if (pathname === '/') return <DashboardPage />;
  if (pathname === '/keys') return <KeysPage />;
  const key = matchPath('/keys/:id', pathname);
  if (key) return <KeyDetailPage key={key.id} id={key.id} />;
  if (pathname === '/spend') return <SpendPage />;
  if (pathname === '/statement') return <StatementPage />;
  if (pathname === '/compare') return <ComparePage />;
  if (pathname === '/leaderboard') return <LeaderboardPage user={user} />;
  if (pathname === '/export') return <ExportPage />;
  if (pathname === '/settings') return <SettingsPage user={user} />;
  if (pathname === '/two-factor') return <TwoFactorPage />;
  if (pathname === '/admin' || pathname.startsWith('/admin/')) return <AdminPage user={user} pathname={pathname} />;
  return <NotFoundPage />;
}

function Routes() {
  useSessionExpiry();
  const me = useMe();
  const { pathname, search, href } = useLocation();
  const authPage = pathname === '/login' || pathname === '/register' || pathname === '/sso';

  if (me.isPending) {
    return (
      <div className="boot" aria-busy="true">
        <span className="spinner spinner-lg" />
      </div>
    );
  }
  if (me.error) {
    return (
      <div className="boot">
        <ErrorMessage error={me.error} onRetry={() => me.refetch()} />
      </div>
    );
  }
  const user = me.data;
  if (authPage) {
    if (user) return <Redirect to={safeNext(search.get('next'))} />;
    if (pathname === '/sso') return <SsoPendingPage />;
    return pathname === '/login' ? <LoginPage /> : <RegisterPage />;
  }
  if (!user) return <Redirect to={loginUrl(href)} />;
  return <Layout user={user}>{page(pathname.replace(/(.)\/$/, '$1'), user)}</Layout>;
}

export function App() {
  const [client] = useState(createQueryClient);
  return (
    <QueryClientProvider client={client}>
      <I18nProvider>
        <ToastProvider>
          <Routes />
        </ToastProvider>
      </I18nProvider>
    </QueryClientProvider>
  );
}
