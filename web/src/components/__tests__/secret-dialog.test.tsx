import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { makeKey, renderUi } from '../../../test/render';
import { SecretDialog } from '../secret-dialog';

const SECRET = 'cr_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd';
const key = makeKey({ name: 'Laptop', maskedKey: 'cr_0123…abcd' });
const instructions = {
  baseUrl: 'https://relay.example.com/api',
  env: { ANTHROPIC_BASE_URL: 'https://relay.example.com/api', ANTHROPIC_AUTH_TOKEN: '<your key cr_0123…abcd>' },
  snippet: 'export ANTHROPIC_BASE_URL=…',
};

describe('SecretDialog', () => {
  it('shows the secret once with a clear warning, and copies it', async () => {
    const user = userEvent.setup();
    renderUi(<SecretDialog created={{ key, secret: SECRET }} instructions={instructions} onClose={() => {}} />);
    const dialog = screen.getByRole('dialog', { name: 'Key “Laptop” created' });
    expect(dialog.textContent).toContain('You will not see it again');
    expect((screen.getByLabelText('Your new API key') as HTMLInputElement).value).toBe(SECRET);
    await user.click(screen.getByRole('button', { name: 'Copy key' }));
    expect(await navigator.clipboard.readText()).toBe(SECRET);
    expect(screen.getAllByText('Copied').length).toBeGreaterThan(0);
  });

  it('cannot be dismissed by accident: Escape does nothing, the confirmation closes it', async () => {
    const user = userEvent.setup();
    const onClose = vi.fn();
    renderUi(<SecretDialog created={{ key, secret: SECRET }} onClose={onClose} />);
    await user.keyboard('{Escape}');
    expect(onClose).not.toHaveBeenCalled();
    expect(screen.queryByRole('button', { name: 'Close' })).toBeNull();
    await user.click(screen.getByRole('button', { name: 'I have copied it' }));
    expect(onClose).toHaveBeenCalledTimes(1);
  });

  it('renders nothing once the secret is gone', () => {
    renderUi(<SecretDialog created={null} onClose={() => {}} />);
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.body.textContent).not.toContain(SECRET);
  });

  it('fills the Claude Code variables with the real secret (the API only knows the masked one)', () => {
    renderUi(<SecretDialog created={{ key, secret: SECRET }} instructions={instructions} onClose={() => {}} />);
    expect(screen.getByRole('dialog').querySelector('pre')?.textContent).toBe(
      `export ANTHROPIC_BASE_URL="https://relay.example.com/api"\nexport ANTHROPIC_AUTH_TOKEN="${SECRET}"\nclaude`,
    );
  });

  it('puts focus on the secret so it can be copied from the keyboard', () => {
    renderUi(<SecretDialog created={{ key, secret: SECRET }} onClose={() => {}} />);
    expect(document.activeElement).toBe(screen.getByLabelText('Your new API key'));
  });
});
