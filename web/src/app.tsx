import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { type ReactNode, Suspense, useEffect, useState } from 'react';
import { ApiError } from './api/client';
import { ErrorMessage } from './components/error-message';
import { Layout } from './components/layout';
import { ToastProvider } from './components/toast';
import { I18nProvider } from './i18n';
import { loginUrl, safeNext, useMe, useSessionExpiry } from './lib/auth';
import { PageTitleProvider } from './lib/page-title';
import { navigate, useLocation } from './lib/router';
import { PAGES } from './pages/registry';
import { matchRoute } from './route-table';

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

function Spinner() {
  return (
    <div className="boot" aria-busy="true">
      <span className="spinner spinner-lg" />
    </div>
  );
}

function Routes() {
  useSessionExpiry();
  const me = useMe();
  const { pathname, search, href } = useLocation();
  const match = matchRoute(pathname);
  const route = match?.route;
  const { Component } = PAGES[route?.page ?? 'notFound'];
  const props = { params: match?.params ?? {}, pathname: pathname.replace(/(.)\/$/, '$1') };

  let body: ReactNode;
  if (me.isPending) body = <Spinner />;
  else if (me.error) {
    body = (
      <div className="boot">
        <ErrorMessage error={me.error} onRetry={() => me.refetch()} />
      </div>
    );
  } else if (route?.access === 'public') {
    // The sign-in pages wait for the portal's answer rather than the hint: a stale hint must not bounce them.
    const user = me.isPlaceholderData ? null : me.data;
    body = user ? (
      <Redirect to={safeNext(search.get('next'))} />
    ) : (
      <Suspense fallback={<Spinner />}>
        <Component user={null} {...props} />
      </Suspense>
    );
  } else if (!me.data) body = <Redirect to={loginUrl(href)} />;
  else {
    body = (
      <Layout user={me.data}>
        <Suspense fallback={<Spinner />}>
          <Component user={me.data} {...props} />
        </Suspense>
      </Layout>
    );
  }
  return <PageTitleProvider page={match ? route?.title : undefined}>{body}</PageTitleProvider>;
}

export function App({ client: given }: { client?: QueryClient }) {
  const [client] = useState(() => given ?? createQueryClient());
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
