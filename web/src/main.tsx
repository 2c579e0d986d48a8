import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App, createQueryClient } from './app';
import { initialLocale, loadDictionary } from './i18n';
import { sessionQuery } from './lib/auth';
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
void PAGES[matchRoute(window.location.pathname)?.route.page ?? 'notFound'].preload().catch(() => undefined);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App client={client} />
  </StrictMode>,
);
