import { fireEvent, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { renderUi } from '../../../test/render';
import { RangePicker } from '../range-picker';

const checked = (el: HTMLElement) => (el as HTMLInputElement).checked;

function setDates(from: string, to: string) {
  fireEvent.input(screen.getByLabelText('From'), { target: { value: from } });
  fireEvent.input(screen.getByLabelText('To'), { target: { value: to } });
}

describe('RangePicker', () => {
  it('marks the current preset and reports another one when chosen', async () => {
    const onChange = vi.fn();
    renderUi(<RangePicker value={{ preset: '30d' }} onChange={onChange} />);
    expect(checked(screen.getByRole('radio', { name: '30 days' }))).toBe(true);
    await userEvent.click(screen.getByRole('radio', { name: '7 days' }));
    expect(onChange).toHaveBeenCalledWith({ preset: '7d' });
  });

  it('opens the custom inputs without changing the range until Apply', async () => {
    const onChange = vi.fn();
    renderUi(<RangePicker value={{ preset: '30d' }} onChange={onChange} />);
    expect(screen.queryByLabelText('From')).toBeNull();
    await userEvent.click(screen.getByRole('radio', { name: 'Custom' }));
    expect(screen.getByLabelText('From')).toBeTruthy();
    expect(onChange).not.toHaveBeenCalled();
    setDates('2026-01-01', '2026-01-31');
    await userEvent.click(screen.getByRole('button', { name: 'Apply' }));
    expect(onChange).toHaveBeenCalledWith({ from: '2026-01-01', to: '2026-01-31' });
  });

  it('refuses a range that ends before it starts, in words', async () => {
    const onChange = vi.fn();
    renderUi(<RangePicker value={{ preset: '7d' }} onChange={onChange} />);
    await userEvent.click(screen.getByRole('radio', { name: 'Custom' }));
    setDates('2026-02-10', '2026-02-01');
    await userEvent.click(screen.getByRole('button', { name: 'Apply' }));
    expect(screen.getByRole('alert').textContent).toContain('“From” must be on or before “To”');
    expect(screen.getByLabelText('From').getAttribute('aria-invalid')).toBe('true');
    expect(onChange).not.toHaveBeenCalled();
  });

  it('refuses more than 366 days, as the API does', async () => {
    const onChange = vi.fn();
    renderUi(<RangePicker value={{ preset: '7d' }} onChange={onChange} />);
    await userEvent.click(screen.getByRole('radio', { name: 'Custom' }));
    setDates('2025-01-01', '2026-01-02');
    await userEvent.click(screen.getByRole('button', { name: 'Apply' }));
    expect(screen.getByRole('alert').textContent).toContain('at most 366 days');
    expect(onChange).not.toHaveBeenCalled();
    setDates('2025-01-01', '2026-01-01');
    await userEvent.click(screen.getByRole('button', { name: 'Apply' }));
    expect(onChange).toHaveBeenCalledWith({ from: '2025-01-01', to: '2026-01-01' });
  });

  it('shows a custom value with its dates filled in', () => {
    renderUi(<RangePicker value={{ from: '2026-03-01', to: '2026-03-05' }} onChange={() => {}} />);
    expect(checked(screen.getByRole('radio', { name: 'Custom' }))).toBe(true);
    expect((screen.getByLabelText('From') as HTMLInputElement).value).toBe('2026-03-01');
    expect((screen.getByLabelText('To') as HTMLInputElement).value).toBe('2026-03-05');
  });

  it('speaks Chinese when the locale is zh-CN', () => {
    renderUi(<RangePicker value={{ preset: '7d' }} onChange={() => {}} />, { locale: 'zh-CN' });
    expect(checked(screen.getByRole('radio', { name: '7 天' }))).toBe(true);
    expect(screen.getByRole('radio', { name: '自定义' })).toBeTruthy();
  });
});
