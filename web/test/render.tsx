import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import type { Key } from '../src/api/contract';
import { ToastProvider } from '../src/components/toast';
import { I18nProvider, type Locale } from '../src/i18n';

/** `client`: the app's own (createQueryClient) where its retry policy is what is tested. */
export function renderUi(
  ui: ReactElement,
  {
    locale = 'en' as Locale,
    client = new QueryClient({ defaultOptions: { queries: { retry: false } } }),
  }: { locale?: Locale; client?: QueryClient } = {},
) {
  return render(
    <QueryClientProvider client={client}>
      <I18nProvider initial={locale}>
        <ToastProvider>{ui}</ToastProvider>
      </I18nProvider>
    </QueryClientProvider>,
  );
}

export function makeKey(over: Partial<Key> = {}): Key {
  return {
    id: crypto.randomUUID(),
    name: 'Laptop',
    description: '',
    status: 'active',
    maskedKey: 'cr_1a2b…9f3e',
    createdAt: '2026-01-02T03:04:05.000Z',
    updatedAt: '2026-01-02T03:04:05.000Z',
    expiresAt: null,
    lastUsedAt: null,
    limits: {
      tokenLimit: 0,
      dailyCostLimit: 0,
      totalCostLimit: 0,
      rateLimitWindow: 0,
      rateLimitRequests: 0,
      rateLimitCost: 0,
      concurrencyLimit: 0,
      weeklyOpusCostLimit: 0,
    },
    models: [],
    origin: 'portal',
    operator: null,
    crsState: 'live',
    usage: {
      requests: 10,
      tokens: 1234567,
      inputTokens: 1000,
      outputTokens: 2000,
      cacheCreateTokens: 3000,
      cacheReadTokens: 1228567,
      cost: 12.5,
      asOf: null,
    },
    limitUsage: [],
    ...over,
  };
}
