import { describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.js';
import { createKey } from '../helpers/keys.js';
import { authHeaders, createUser } from '../helpers/security-suite.js';

/*
 * Issue 15, point 5: a 400's `details` carry, beside the English `message` API clients read, the issue's `code`
 * and the `params` its wording needs, so the web app can say it in the reader's language (docs/api.md §2).
 */
const t = await createTestApp({ env: { REGISTRATION: 'invite', KEY_MAX_CONCURRENCY: '5' } });
const user = await createUser(t);
const as = { headers: authHeaders(user) };
const details = (res: { json(): { error: { details: unknown[] } } }) => res.json().error.details;

describe('validation details', () => {
  it('name the field, the zod code and the bounds, and keep the English message', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/register',
      payload: { email: 'not-an-address', password: 'short', displayName: 'x'.repeat(101) },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toBe('email: must be an email address');
    expect(details(res)).toEqual([
      {
        path: 'email',
        message: 'must be an email address',
        code: 'invalid_format',
        params: { origin: 'string', format: 'email' },
      },
      {
        path: 'password',
        message: 'must be at least 10 characters',
        code: 'too_small',
        params: { origin: 'string', minimum: 10, inclusive: true },
      },
      {
        path: 'displayName',
        message: 'must be at most 100 characters (UTF-16 code units)',
        code: 'too_big',
        params: { origin: 'string', maximum: 100, inclusive: true },
      },
    ]);
  });

  it('never echo the input, nor a format’s regular expression', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'nobody@example.test', password: 12345 },
    });
    expect(details(res)).toEqual([
      { path: 'password', message: expect.any(String), code: 'invalid_type', params: { expected: 'string' } },
    ]);
    const uuid = await t.app.inject({ method: 'GET', url: '/api/keys/not-a-uuid', ...as });
    expect(uuid.body).not.toContain('pattern');
    expect(details(uuid)).toEqual([
      { path: 'id', message: 'must be a UUID', code: 'invalid_format', params: { origin: 'string', format: 'uuid' } },
    ]);
  });

  it('word nested fields, enums and unknown fields', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/keys',
      ...as,
      payload: { name: 'k', limits: { tokenLimit: -1 }, colour: 'red' },
    });
    expect(details(res)).toEqual(
      expect.arrayContaining([
        {
          path: 'limits.tokenLimit',
          message: expect.any(String),
          code: 'too_small',
          params: { origin: 'number', minimum: 0, inclusive: true },
        },
        { path: 'colour', message: expect.any(String), code: 'unrecognized_keys' },
      ]),
    );
    const range = await t.app.inject({ method: 'GET', url: '/api/stats/usage?range=2d', ...as });
    expect(details(range)).toEqual([
      {
        path: 'range',
        message: 'must be one of 7d, 30d, 90d, 365d',
        code: 'invalid_value',
        params: { values: ['7d', '30d', '90d', '365d'] },
      },
    ]);
  });
});

describe('the portal’s own rules', () => {
  it('carry the portal’s codes: a cap, a window, an expiry, the invite policy', async () => {
    const capped = await t.app.inject({
      method: 'POST',
      url: '/api/keys',
      ...as,
      payload: { name: 'k', limits: { concurrencyLimit: 9 } },
    });
    expect(details(capped)).toEqual([
      { path: 'limits.concurrencyLimit', message: 'must be at most 5', code: 'too_big', params: { maximum: 5 } },
    ]);
    const windowless = await t.app.inject({
      method: 'POST',
      url: '/api/keys',
      ...as,
      payload: { name: 'k', limits: { rateLimitRequests: 10 } },
    });
    expect(details(windowless)).toEqual([
      {
        path: 'limits.rateLimitWindow',
        message: expect.stringContaining('is required'),
        code: 'required_with',
        params: { field: 'limits.rateLimitRequests' },
      },
    ]);
    const key = await createKey(t, user);
    const past = await t.app.inject({
      method: 'PATCH',
      url: `/api/keys/${key.id}`,
      ...as,
      payload: { expiresAt: '2001-01-01T00:00:00Z' },
    });
    expect(details(past)).toEqual([{ path: 'expiresAt', message: 'must be in the future', code: 'in_past' }]);

    const noInvite = await t.app.inject({
      method: 'POST',
      url: '/api/auth/register',
      payload: { email: 'invited@example.test', password: 'long-enough-password' },
    });
    expect(details(noInvite)).toEqual([
      { path: 'inviteCode', message: 'an invite code is required', code: 'required' },
    ]);
  });

  it('a wrong current password is `incorrect`', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/password',
      ...as,
      payload: { currentPassword: 'not-the-password', newPassword: 'a-new-long-password' },
    });
    expect(details(res)).toEqual([
      { path: 'currentPassword', message: 'the current password is incorrect', code: 'incorrect' },
    ]);
  });
});
