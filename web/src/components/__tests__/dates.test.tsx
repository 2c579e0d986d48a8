import { screen, within } from '@testing-library/react';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { makeKey, renderUi } from '../../../test/render';
import { KeyDetailPage } from '../../pages/key-detail';
import { KeysTable } from '../keys-table';

// A reader east of UTC, for whom an evening in UTC is already the next day (issue 15: the key list showed the UTC
// date, key detail the local time). Set before any formatter of this file is built.
const zone = process.env.TZ;
process.env.TZ = 'Asia/Shanghai';
afterAll(() => {
  if (zone === undefined) delete process.env.TZ;
  else process.env.TZ = zone;
});

const key = makeKey({ name: 'Evening', createdAt: '2026-01-01T20:30:00.000Z' });

describe('one date rule: a timestamp in the reader’s zone, on the list and on the key’s page alike', () => {
  it('the key list’s Created is the local day', () => {
    renderUi(
      <KeysTable
        items={[key]}
        sort="createdAt"
        order="desc"
        onSort={vi.fn()}
        onEdit={vi.fn()}
        onToggle={vi.fn()}
        onDelete={vi.fn()}
      />,
    );
    const row = screen.getAllByRole('row')[1];
    expect(within(row).getByText('Jan 2, 2026')).toBeTruthy();
  });

  it('the key’s page says the same day, with the local time', async () => {
    vi.spyOn(globalThis, 'fetch').mockImplementation(async (input) =>
      String(input) === `/api/keys/${key.id}` ? Response.json(key) : new Response(null, { status: 503 }),
    );
    renderUi(<KeyDetailPage id={key.id} />);
    expect(await screen.findByText(/Jan 2, 2026, 4:30/)).toBeTruthy();
  });
});
