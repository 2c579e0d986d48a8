import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { makeKey, renderUi } from '../../../test/render';
import { capFor } from '../../lib/key-limits';
import { KeyFormDialog } from '../key-form-dialog';
import { KeysTable } from '../keys-table';

const meta = {
  mode: 'production',
  registration: 'open',
  defaultMaxKeys: 10,
  keyLimitCaps: {
    tokenLimit: 0,
    dailyCostLimit: 0,
    totalCostLimit: 0,
    rateLimitRequests: 600,
    concurrencyLimit: 0,
    perWindowMinutes: 60,
  },
  timezone: 'UTC+8',
  version: 'test',
};

beforeEach(() => {
  vi.spyOn(globalThis, 'fetch').mockImplementation(async () => Response.json(meta));
});

const limitsOpen = async () => {
  await userEvent.click(screen.getByText('Limits'));
};

describe('the key form: "N tokens per M minutes"', () => {
  it('asks for a window before a token limit can be sent, then says what the limit means', async () => {
    const onSubmit = vi.fn();
    renderUi(<KeyFormDialog open onClose={() => {}} onSubmit={onSubmit} pending={false} error={null} />);
    await userEvent.type(screen.getByLabelText(/^Name/), 'ci');
    await limitsOpen();
    await userEvent.type(screen.getByLabelText('Tokens per window'), '300');
    await userEvent.click(screen.getByRole('button', { name: 'Create key' }));
    expect(onSubmit).not.toHaveBeenCalled();
    expect(screen.getByText(/Set a window/)).toBeTruthy();

    await userEvent.type(screen.getByLabelText('Window (minutes)'), '60');
    expect(screen.getByText('= 300 tokens per 60 minutes')).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Create key' }));
    expect(onSubmit).toHaveBeenCalledWith(
      expect.objectContaining({ name: 'ci', limits: { tokenLimit: 300, rateLimitWindow: 60 } }),
    );
  });

  it('says which field is missing, not "Some fields need attention"', async () => {
    const onSubmit = vi.fn();
    renderUi(<KeyFormDialog open onClose={() => {}} onSubmit={onSubmit} pending={false} error={null} />);
    await userEvent.click(screen.getByRole('button', { name: 'Create key' }));
    expect(onSubmit).not.toHaveBeenCalled();
    const name = screen.getByLabelText(/^Name/);
    expect(name.getAttribute('aria-invalid')).toBe('true');
    expect(name.getAttribute('aria-describedby')?.split(' ')).toContain(screen.getByText('Is required').id);
    expect(screen.queryByText('Some fields need attention.')).toBeNull();
  });

  it('says the description stays in the portal', () => {
    renderUi(<KeyFormDialog open onClose={() => {}} onSubmit={() => {}} pending={false} error={null} />);
    expect(screen.getByText(/CRS cannot change a key’s description/)).toBeTruthy();
  });

  it('bounds what the operator holds: the ceiling is the maximum, held models stay blocked', async () => {
    const onSubmit = vi.fn();
    const key = makeKey({
      limits: { ...makeKey().limits, dailyCostLimit: 5 },
      models: ['claude-opus-4-1-20250805'],
      operator: { disabled: false, limits: { dailyCostLimit: 5 }, models: ['claude-opus-4-1-20250805'], since: '' },
    });
    renderUi(<KeyFormDialog open editing={key} onClose={() => {}} onSubmit={onSubmit} pending={false} error={null} />);
    const daily = screen.getByLabelText('Daily cost limit (USD)') as HTMLInputElement;
    expect(daily.max).toBe('5');
    expect(screen.getByText('Set by the operator: at most $5.00.')).toBeTruthy();
    await userEvent.clear(screen.getByLabelText(/^Blocked models/));
    await userEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    expect(onSubmit.mock.calls[0][0].models).toEqual(['claude-opus-4-1-20250805']);
  });

  it('scales a per-window cap to the key’s own window', () => {
    const l = { rateLimitWindow: '6' } as Parameters<typeof capFor>[1];
    expect(capFor('rateLimitRequests', l, meta.keyLimitCaps)).toBe(60);
    expect(capFor('rateLimitRequests', { ...l, rateLimitWindow: '' }, meta.keyLimitCaps)).toBe(600);
    expect(capFor('dailyCostLimit', l, meta.keyLimitCaps)).toBeUndefined();
  });
});

describe('keys the operator holds or made', () => {
  it('says "disabled by the operator" and offers no Enable; marks a key the operator created', () => {
    const held = makeKey({
      name: 'Held',
      status: 'disabled',
      operator: { disabled: true, limits: {}, models: [], since: '2026-01-01T00:00:00Z' },
    });
    const adopted = makeKey({ name: 'Given', origin: 'operator', maskedKey: 'cr_…' });
    renderUi(
      <KeysTable
        items={[held, adopted]}
        sort="createdAt"
        order="desc"
        onSort={() => {}}
        onEdit={() => {}}
        onToggle={() => {}}
        onDelete={() => {}}
      />,
    );
    const [heldRow, adoptedRow] = screen.getAllByRole('row').slice(1);
    expect(within(heldRow).getByText('Disabled by the operator')).toBeTruthy();
    expect((within(heldRow).getByRole('button', { name: 'Enable' }) as HTMLButtonElement).disabled).toBe(true);
    expect(within(adoptedRow).getByText('Created by the operator')).toBeTruthy();
  });
});
