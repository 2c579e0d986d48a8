import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { makeKey, renderUi } from '../../../test/render';
import { createQueryClient } from '../../app';
import { KeyDetailPage } from '../key-detail';
import { ModelsCard } from '../key-detail-sections';

const ID = '6f0c1a52-8d2a-4b8e-9d7e-0a1b2c3d4e5f';

function recordFetches(answer: (url: string) => Response) {
  const calls: string[] = [];
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input) => {
    const url = String(input);
    calls.push(url);
    return answer(url);
  });
  return calls;
}

describe('a key’s page', () => {
  it('asks once for a key that does not exist: no retry of the 404, no usage, models or requests', async () => {
    const calls = recordFetches(() =>
      Response.json({ error: { code: 'not_found', message: 'Key not found', requestId: 'r1' } }, { status: 404 }),
    );
    renderUi(<KeyDetailPage id={ID} />, { client: createQueryClient() });
    expect(await screen.findByText('Not found — it may have been deleted.')).toBeTruthy();
    // Anything a retry or a dependent query would send goes out within this wait.
    await new Promise((r) => setTimeout(r, 300));
    expect(calls).toEqual([`/api/keys/${ID}`]);
  });

  it('draws at once from the key list already loaded, and starts its data without waiting for the key', async () => {
    const key = makeKey({ id: ID, name: 'From the list' });
    const calls = recordFetches((url) =>
      url.startsWith('/api/keys?')
        ? Response.json({ items: [key], page: 1, pageSize: 20, total: 1 })
        : new Response(null, { status: 503 }),
    );
    const client = createQueryClient();
    await client.prefetchQuery({
      queryKey: ['keys', 'list', { page: 1 }],
      queryFn: () => fetch('/api/keys?page=1').then((r) => r.json()),
    });
    renderUi(<KeyDetailPage id={ID} />, { client });
    expect(screen.getAllByText('From the list').length).toBeGreaterThan(0);
    await waitFor(() => expect(calls.some((u) => u.startsWith('/api/stats/usage?'))).toBe(true));
  });
});

describe('a key’s models', () => {
  it('say which days they cover and that CRS counts them now, unlike the synced totals', async () => {
    recordFetches(() =>
      Response.json({
        range: { from: '2026-03-01', to: '2026-03-30', timezone: 'UTC+8' },
        items: [],
        asOf: '2026-03-30T10:00:00Z',
        stale: false,
      }),
    );
    renderUi(<ModelsCard id={ID} />);
    const scope = await screen.findByText(/as CRS counts it right now/);
    expect(scope.textContent?.replace(/\s/g, ' ')).toContain('Mar 1 – 30, 2026');
  });
});
