import { randomUUID } from 'node:crypto';
import type { TestApp } from '../../helpers/app.js';
import { createKey } from '../../helpers/keys.js';
import type { SecuritySpec, TestUser } from '../../helpers/security-suite.js';

/** /api/keys and the per-key views (models and requests are served by the stats routes' file). */
export const keySpecs = (t: TestApp): SecuritySpec[] => {
  const owned =
    (suffix = '') =>
    async (owner: TestUser) =>
      `/api/keys/${(await createKey(t, owner)).id}${suffix}`;
  return [
    { method: 'GET', url: '/api/keys' },
    {
      method: 'POST',
      url: '/api/keys',
      body: {
        valid: { name: 'k' },
        invalid: [
          { body: { name: '' }, field: 'name' },
          { body: { name: 'a\u0000b' }, field: 'name' },
          { body: { name: 'k', description: 'x\u001b[31m' }, field: 'description' },
          { body: { name: 'k', limits: { concurrencyLimit: 'x' } }, field: 'limits.concurrencyLimit' },
          { body: { name: 'k', expiresAt: '9999-01-01T00:00:00Z' }, field: 'expiresAt' },
        ],
      },
    },
    { method: 'GET', url: `/api/keys/${randomUUID()}`, ownedResource: owned() },
    {
      method: 'PATCH',
      url: `/api/keys/${randomUUID()}`,
      body: {
        valid: { name: 'renamed' },
        invalid: [
          { body: { status: 'expired' }, field: 'status' },
          { body: { name: 'line\nbreak' }, field: 'name' },
        ],
      },
      ownedResource: owned(),
    },
    { method: 'DELETE', url: `/api/keys/${randomUUID()}`, ownedResource: owned() },
    { method: 'GET', url: `/api/keys/${randomUUID()}/instructions`, ownedResource: owned('/instructions') },
    { method: 'GET', url: `/api/keys/${randomUUID()}/models`, ownedResource: owned('/models') },
    { method: 'GET', url: `/api/keys/${randomUUID()}/requests`, ownedResource: owned('/requests') },
  ];
};
