import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderUi } from '../../../test/render';
import { UsageTable } from '../usage-table';

type Row = { id: string; name: string; requests: number; tokens: number; cost: number };
const rows: Row[] = [
  { id: 'a', name: 'Laptop', requests: 1234, tokens: 1_234_567, cost: 12.5 },
  { id: 'b', name: 'CI', requests: 0, tokens: 0, cost: 0 },
];
const name = { header: 'Key', cell: (r: Row) => r.name };
const bodyRows = () => screen.getAllByRole('row').slice(1);

describe('UsageTable', () => {
  it('shows requests, tokens (compact, exact on hover) and cost after the lead columns', () => {
    renderUi(<UsageTable label="Usage" rows={rows} rowKey={(r) => r.id} lead={[name]} />);
    expect(screen.getAllByRole('columnheader').map((h) => h.textContent)).toEqual([
      'Key',
      'Requests',
      'Tokens',
      'Cost',
    ]);
    const cells = within(bodyRows()[0]).getAllByRole('cell');
    expect(cells.map((c) => c.textContent)).toEqual(['Laptop', '1,234', '1.2M', '$12.50']);
    expect(cells[2].getAttribute('title')).toBe('1,234,567');
  });

  it('places the trailing columns last, with their own classes and tooltips', () => {
    const share = {
      header: 'Share',
      className: 'hide-sm',
      cellClassName: 'share-cell',
      title: () => 'half',
      cell: () => '50%',
    };
    renderUi(
      <UsageTable label="Usage" rows={rows} rowKey={(r) => r.id} lead={[name]} trail={[share]} requestsHideSm />,
    );
    const header = screen.getByRole('columnheader', { name: 'Share' });
    expect(header.className).toBe('hide-sm');
    const last = within(bodyRows()[0]).getAllByRole('cell')[4];
    expect(last.className).toBe('hide-sm share-cell');
    expect(last.getAttribute('title')).toBe('half');
    expect(screen.getByRole('columnheader', { name: 'Requests' }).className).toBe('num hide-sm');
  });

  it('shows placeholder rows while loading, and the empty message for no rows', () => {
    const { unmount } = renderUi(
      <UsageTable<Row> label="Usage" rows={undefined} rowKey={(r) => r.id} lead={[name]} loadingRows={4} />,
    );
    expect(bodyRows()).toHaveLength(4);
    expect(within(bodyRows()[0]).getAllByRole('cell')).toHaveLength(4);
    unmount();
    renderUi(<UsageTable<Row> label="Usage" rows={[]} rowKey={(r) => r.id} lead={[name]} empty="Nothing yet" />);
    expect(within(bodyRows()[0]).getByRole('cell').textContent).toBe('Nothing yet');
    expect(within(bodyRows()[0]).getByRole('cell').getAttribute('colspan')).toBe('4');
  });

  it('takes figures from elsewhere, or one cell instead of them', () => {
    type Entry = { id: string; totals?: Row; error?: string };
    const entries: Entry[] = [
      { id: 'a', totals: rows[0] },
      { id: 'b', error: 'CRS is down' },
    ];
    renderUi(
      <UsageTable
        label="Usage"
        rows={entries}
        rowKey={(e) => e.id}
        lead={[{ header: 'Key', cell: (e) => e.id }]}
        figures={(e) => e.totals ?? { instead: e.error, className: 'text-danger' }}
      />,
    );
    expect(within(bodyRows()[0]).getAllByRole('cell')).toHaveLength(4);
    const failed = within(bodyRows()[1]).getAllByRole('cell')[1];
    expect(failed.textContent).toBe('CRS is down');
    expect(failed.getAttribute('colspan')).toBe('3');
    expect(failed.className).toBe('text-danger');
  });
});
