import { randomUUID } from 'node:crypto';
import type { TestApp } from '../../helpers/app.js';
import { authHeaders, type SecuritySpec } from '../../helpers/security-suite.js';

/**
 * The signed-in routes of personal access tokens, the second factor and the status-bar summary (docs/decisions/026,
 * 027). The public ones — the sign-in's second step and the single sign-on — have their own security tests
 * (tests/security/second-factor.test.ts, tests/security/sso.test.ts).
 */
export const accountSpecs = (t: TestApp): SecuritySpec[] => [
  { method: 'GET', url: '/api/me/summary' },
  { method: 'GET', url: '/api/tokens' },
  {
    method: 'POST',
    url: '/api/tokens',
    body: {
      valid: { name: 'script', scopes: ['read'] },
      invalid: [
        { body: { name: 'x', scopes: [] }, field: 'scopes' },
        { body: { name: 'x', scopes: ['admin'] }, field: 'scopes.0' },
        { body: { name: 'a\u0000b', scopes: ['read'] }, field: 'name' },
        { body: { name: 'x', scopes: ['read'], expiresAt: 'tomorrow' }, field: 'expiresAt' },
      ],
    },
  },
  {
    method: 'DELETE',
    url: `/api/tokens/${randomUUID()}`,
    ownedResource: async (owner) => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/tokens',
        headers: authHeaders(owner),
        payload: { name: 'owned', scopes: ['read'] },
      });
      return `/api/tokens/${res.json().id}`;
    },
  },
  { method: 'GET', url: '/api/auth/mfa' },
  { method: 'POST', url: '/api/auth/mfa/totp/setup' },
  {
    method: 'POST',
    url: '/api/auth/mfa/totp/confirm',
    body: {
      valid: { code: '123456' },
      invalid: [
        { body: { code: '12345' }, field: 'code' },
        { body: {}, field: 'code' },
      ],
    },
  },
  {
    method: 'POST',
    url: '/api/auth/mfa/totp/disable',
    body: {
      valid: { code: '123456' },
      invalid: [
        { body: { code: 'abcdef' }, field: 'code' },
        { body: { code: '123456', recoveryCode: 'abcde-fghij' }, field: 'code' },
      ],
    },
  },
  {
    method: 'POST',
    url: '/api/auth/mfa/recovery-codes',
    body: { valid: { code: '123456' }, invalid: [{ body: { recoveryCode: 'a\nb' }, field: 'recoveryCode' }] },
  },
  { method: 'DELETE', url: '/api/auth/mfa/devices' },
  { method: 'GET', url: '/api/admin/settings/mfa', admin: true },
  {
    method: 'PATCH',
    url: '/api/admin/settings/mfa',
    admin: true,
    body: { valid: { mfaRequired: 'off' }, invalid: [{ body: { mfaRequired: 'always' }, field: 'mfaRequired' }] },
  },
];
