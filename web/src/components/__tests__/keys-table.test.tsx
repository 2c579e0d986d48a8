import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { makeKey, renderUi } from '../../../test/render';
import { KeysTable, type KeysTableProps, nextSort } from '../keys-table';
import { Pagination } from '../pagination';

function table(over: Partial<KeysTableProps> = {}) {
  const props: KeysTableProps = {
    items: [
      makeKey({ name: 'Laptop', maskedKey: 'cr_aaaa…1111' }),
      makeKey({ name: 'CI', status: 'disabled', maskedKey: 'cr_bbbb…2222' }),
      makeKey({ name: 'Old', status: 'deleted', maskedKey: 'cr_cccc…3333' }),
    ],
    sort: 'createdAt',
    order: 'desc',
    onSort: vi.fn(),
    onEdit: vi.fn(),
    onToggle: vi.fn(),
    onDelete: vi.fn(),
    ...over,
  };
  renderUi(<KeysTable {...props} />);
  return props;
}

const header = (name: string) => screen.getByRole('columnheader', { name: new RegExp(name) });

describe('KeysTable', () => {
  it('shows each key masked, with its status, and never more of the secret', () => {
    table();
    const rows = screen.getAllByRole('row').slice(1);
    expect(rows).toHaveLength(3);
    expect(within(rows[0]).getByText('cr_aaaa…1111')).toBeTruthy();
    expect(within(rows[0]).getByText('Active')).toBeTruthy();
    expect(within(rows[1]).getByText('Disabled')).toBeTruthy();
    expect(within(rows[0]).getByText('1.2M').getAttribute('title')).toBe('1,234,567');
    expect(within(rows[0]).getByText('$12.50')).toBeTruthy();
  });

  it('marks the sorted column for assistive technology', () => {
    table({ sort: 'tokens', order: 'asc' });
    expect(header('Tokens').getAttribute('aria-sort')).toBe('ascending');
    expect(header('Cost').getAttribute('aria-sort')).toBe('none');
  });

  it('flips the order of the sorted column and starts another column with the biggest first', async () => {
    const props = table({ sort: 'cost', order: 'desc' });
    await userEvent.click(within(header('Cost')).getByRole('button'));
    expect(props.onSort).toHaveBeenLastCalledWith('cost', 'asc');
    await userEvent.click(within(header('Tokens')).getByRole('button'));
    expect(props.onSort).toHaveBeenLastCalledWith('tokens', 'desc');
    await userEvent.click(within(header('Last used')).getByRole('button'));
    expect(props.onSort).toHaveBeenLastCalledWith('lastUsedAt', 'desc');
    expect(nextSort({ sort: 'cost', order: 'asc' }, 'cost')).toEqual({ sort: 'cost', order: 'desc' });
  });

  it('offers enable for a disabled key, disable for an active one, and nothing for a deleted one', async () => {
    const props = table();
    const [active, disabled, deleted] = screen.getAllByRole('row').slice(1);
    await userEvent.click(within(active).getByRole('button', { name: 'Disable' }));
    expect(props.onToggle).toHaveBeenCalledWith(props.items![0]);
    await userEvent.click(within(disabled).getByRole('button', { name: 'Enable' }));
    expect(props.onToggle).toHaveBeenLastCalledWith(props.items![1]);
    await userEvent.click(within(disabled).getByRole('button', { name: 'Delete' }));
    expect(props.onDelete).toHaveBeenCalledWith(props.items![1]);
    expect(within(deleted).queryAllByRole('button')).toHaveLength(0);
  });

  it('shows placeholder rows while the first page loads', () => {
    table({ items: undefined });
    expect(screen.getAllByRole('row').length).toBeGreaterThan(1);
    expect(screen.queryByText('Active')).toBeNull();
  });
});

describe('Pagination', () => {
  it('says which rows are shown and moves between pages', async () => {
    const onPage = vi.fn();
    const onPageSize = vi.fn();
    renderUi(<Pagination page={1} pageSize={20} total={45} onPage={onPage} onPageSize={onPageSize} />);
    expect(screen.getByText('1–20 of 45')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Previous' }) as HTMLButtonElement).disabled).toBe(true);
    await userEvent.click(screen.getByRole('button', { name: 'Next' }));
    expect(onPage).toHaveBeenCalledWith(2);
    await userEvent.selectOptions(screen.getByRole('combobox'), '50');
    expect(onPageSize).toHaveBeenCalledWith(50);
  });

  it('disables Next on the last page', () => {
    renderUi(<Pagination page={3} pageSize={20} total={45} onPage={() => {}} />);
    expect(screen.getByText('41–45 of 45')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Next' }) as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByRole('button', { name: 'Previous' }) as HTMLButtonElement).disabled).toBe(false);
  });
});
