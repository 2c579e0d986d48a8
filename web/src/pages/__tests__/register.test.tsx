import { fireEvent, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { renderUi } from '../../../test/render';
import { safeNext } from '../../lib/auth';
import { RegisterPage } from '../auth';

/** A fake portal answering /api/health and then, in turn, each register attempt. */
function portal(...registerAnswers: [number, unknown][]) {
  const calls: unknown[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (path: string, init?: RequestInit) => {
      if (path === '/api/health') return new Response(JSON.stringify({ mode: 'production' }), { status: 200 });
      calls.push(JSON.parse(String(init?.body)));
      const [status, body] = registerAnswers.shift() ?? [500, {}];
      return new Response(JSON.stringify(body), { status });
    }),
  );
  return calls;
}

async function submit(email = 'a@example.com') {
  fireEvent.input(screen.getByLabelText('Email'), { target: { value: email } });
  fireEvent.input(screen.getByLabelText('Password'), { target: { value: 'long-enough-password' } });
  await userEvent.click(screen.getByRole('button', { name: 'Create account' }));
}

describe('RegisterPage', () => {
  it('asks for an invite code when the policy needs one, and sends it', async () => {
    const calls = portal(
      [
        400,
        {
          error: {
            code: 'bad_request',
            message: 'x',
            details: [{ path: 'inviteCode', message: 'an invite code is required' }],
          },
        },
      ],
      [
        400,
        {
          error: {
            code: 'bad_request',
            message: 'x',
            details: [{ path: 'inviteCode', message: 'unknown or already used invite code' }],
          },
        },
      ],
    );
    renderUi(<RegisterPage />);
    expect(screen.queryByLabelText('Invite code')).toBeNull();
    await submit();
    expect(await screen.findByText('This portal needs an invite code to register.')).toBeTruthy();
    const invite = screen.getByLabelText('Invite code');
    expect(invite.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('an invite code is required')).toBeTruthy();
    fireEvent.input(invite, { target: { value: ' INV-123 ' } });
    await userEvent.click(screen.getByRole('button', { name: 'Create account' }));
    expect(await screen.findByText('unknown or already used invite code')).toBeTruthy();
    expect(calls[1]).toMatchObject({ email: 'a@example.com', inviteCode: 'INV-123' });
    expect(calls[0]).not.toHaveProperty('inviteCode');
  });

  it('says so in words when registration is closed', async () => {
    portal([403, { error: { code: 'forbidden', message: 'Registration is closed on this portal' } }]);
    renderUi(<RegisterPage />);
    await submit();
    expect(await screen.findByText(/Registration is closed on this portal\. Ask the operator/)).toBeTruthy();
  });

  it('asks for the setup token while the portal has no admin, and sends it', async () => {
    const calls: unknown[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (path: string, init?: RequestInit) => {
        if (path === '/api/meta') {
          return new Response(JSON.stringify({ mode: 'production', registration: 'closed', setupRequired: true }));
        }
        calls.push(JSON.parse(String(init?.body)));
        const user = { id: 'u1', email: 'a@example.com', displayName: 'a', role: 'admin', createdAt: '' };
        return new Response(JSON.stringify({ user, token: 't', expiresAt: '' }), { status: 201 });
      }),
    );
    renderUi(<RegisterPage />);
    const token = await screen.findByLabelText('Setup token');
    // A closed portal still registers its first admin: no "closed" message, no invite field.
    expect(screen.queryByText(/Registration is closed/)).toBeNull();
    expect(screen.queryByLabelText('Invite code')).toBeNull();
    fireEvent.input(token, { target: { value: ' printed-token ' } });
    await submit();
    expect(calls[0]).toMatchObject({ email: 'a@example.com', setupToken: 'printed-token' });
  });

  it('shows a field error beside its field', async () => {
    portal([
      400,
      {
        error: { code: 'bad_request', message: 'x', details: [{ path: 'email', message: 'must be an email address' }] },
      },
    ]);
    renderUi(<RegisterPage />);
    await submit('nope');
    expect(await screen.findByText('must be an email address')).toBeTruthy();
    expect(screen.getByLabelText('Email').getAttribute('aria-invalid')).toBe('true');
  });
});

describe('safeNext', () => {
  it('only goes back to a page of this app', () => {
    expect(safeNext('/keys?page=2')).toBe('/keys?page=2');
    expect(safeNext('//evil.example.com')).toBe('/');
    expect(safeNext('https://evil.example.com')).toBe('/');
    expect(safeNext('/\\evil.example.com')).toBe('/');
    expect(safeNext('/login?next=/x')).toBe('/');
    expect(safeNext(null)).toBe('/');
  });
});
