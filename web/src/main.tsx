import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App, createQueryClient } from './app';
import { initialLocale, loadDictionary } from './i18n';
import { sessionHint, sessionQuery } from './lib/auth';
import { applyStoredTheme } from './lib/theme';
import { PAGES } from './pages/registry';
import { matchRoute } from './route-table';
import './styles.css';

// Before the first render, side by side: the session question, the reader's dictionary and the first page's chunk
// (decision 034). The page's own data requests start as soon as it renders — beside the session answer when the
// browser was signed in (lib/auth.tsx, the hint).
applyStoredTheme();
const client = createQueryClient();
void client.prefetchQuery(sessionQuery);
void loadDictionary(initialLocale()).catch(() => undefined);
const match = matchRoute(window.location.pathname);
const first = PAGES[match?.route.page ?? 'notFound'];
void first.preload().catch(() => undefined);
// The page's first request, when this browser was signed in: an expired session answers it 401, which signs out.
if (match && match.route.access !== 'public' && sessionHint()) {
  first.prefetch?.(client, { params: match.params, search: new URLSearchParams(window.location.search) });
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App client={client} />
  </StrictMode>,
);
