import { randomUUID } from 'node:crypto';
import type { SecuritySpec } from '../../helpers/security-suite.js';

/** /api/admin: every route needs the admin role. */
export const adminSpecs = (): SecuritySpec[] => [
  { method: 'GET', url: '/api/admin/overview', admin: true },
  { method: 'GET', url: '/api/admin/users', admin: true },
  { method: 'GET', url: '/api/admin/statements', admin: true },
  {
    method: 'PATCH',
    url: `/api/admin/users/${randomUUID()}`,
    admin: true,
    body: { valid: { maxKeys: 3 }, invalid: [{ body: { role: 'root' }, field: 'role' }] },
  },
  {
    method: 'POST',
    url: '/api/admin/invites',
    admin: true,
    body: {
      valid: { count: 1 },
      invalid: [
        { body: { count: 0 }, field: 'count' },
        { body: { ttlDays: 0 }, field: 'ttlDays' },
      ],
    },
  },
  { method: 'GET', url: '/api/admin/invites', admin: true },
  { method: 'DELETE', url: '/api/admin/invites/no-such-code', admin: true },
  { method: 'GET', url: '/api/admin/cache', admin: true },
  {
    method: 'POST',
    url: '/api/admin/cache/purge',
    admin: true,
    body: { valid: {}, invalid: [{ body: { namespace: 'x' }, field: 'namespace' }] },
  },
  { method: 'POST', url: '/api/admin/sync', admin: true },
  {
    method: 'GET',
    url: '/api/admin/keys?locked=true',
    admin: true,
  },
  {
    method: 'POST',
    url: `/api/admin/keys/${randomUUID()}/release`,
    admin: true,
    body: { valid: {}, invalid: [{ body: { fields: ['colour'] }, field: 'fields.0' }] },
  },
];
