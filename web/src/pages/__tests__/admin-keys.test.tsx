import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { renderUi } from '../../../test/render';
import { KeysTab } from '../admin/keys';

const held = {
  id: '6f0c1a52-8d2a-4b8e-9d7e-0a1b2c3d4e5f',
  name: 'alice-laptop',
  status: 'disabled',
  origin: 'portal',
  owner: { id: 'u1', email: 'alice@example.com' },
  operator: { disabled: true, limits: { dailyCostLimit: 5 }, models: [], since: '2026-01-01T00:00:00Z' },
};

describe('Keys held by the operator', () => {
  it('lists owner, key and what is held, and releases it', async () => {
    const calls: string[] = [];
    vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
      const url = String(input);
      calls.push(`${init?.method ?? 'GET'} ${url}`);
      if (url.includes('/release')) return Response.json({ ...held, operator: null });
      return Response.json({ items: [held], page: 1, pageSize: 20, total: 1 });
    });
    renderUi(<KeysTab />);
    expect(await screen.findByText('alice-laptop')).toBeTruthy();
    expect(screen.getByText('alice@example.com')).toBeTruthy();
    expect(screen.getByText('disabled')).toBeTruthy();
    expect(screen.getByText('Daily cost limit (USD): $5.00')).toBeTruthy();
    expect(calls[0]).toBe('GET /api/admin/keys?locked=true&page=1&pageSize=20');
    await userEvent.click(screen.getByRole('button', { name: 'Release what the operator holds on alice-laptop' }));
    await waitFor(() => expect(calls).toContain(`POST /api/admin/keys/${held.id}/release`));
    expect(await screen.findByText('Released “alice-laptop”')).toBeTruthy();
  });
});
