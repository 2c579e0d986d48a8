import { randomUUID } from 'node:crypto';
import { createTestApp } from '../helpers/app.js';
import { createKey } from '../helpers/keys.js';
import { securitySuite } from '../helpers/security-suite.js';

const t = await createTestApp();
const owned =
  (suffix = '') =>
  async (owner: Parameters<typeof createKey>[1]) =>
    `/api/keys/${(await createKey(t, owner)).id}${suffix}`;

securitySuite(t, { method: 'GET', url: '/api/keys', body: undefined });
securitySuite(t, {
  method: 'POST',
  url: '/api/keys',
  body: {
    valid: { name: 'k' },
    invalid: [
      { body: { name: '' }, field: 'name' },
      { body: { name: 'k', limits: { concurrencyLimit: 'x' } }, field: 'limits.concurrencyLimit' },
    ],
  },
});
securitySuite(t, { method: 'GET', url: `/api/keys/${randomUUID()}`, ownedResource: owned() });
securitySuite(t, {
  method: 'PATCH',
  url: `/api/keys/${randomUUID()}`,
  body: { valid: { name: 'renamed' }, invalid: [{ body: { status: 'expired' }, field: 'status' }] },
  ownedResource: owned(),
});
securitySuite(t, { method: 'DELETE', url: `/api/keys/${randomUUID()}`, ownedResource: owned() });
securitySuite(t, {
  method: 'GET',
  url: `/api/keys/${randomUUID()}/instructions`,
  ownedResource: owned('/instructions'),
});
securitySuite(t, { method: 'GET', url: `/api/keys/${randomUUID()}/models`, ownedResource: owned('/models') });
securitySuite(t, { method: 'GET', url: `/api/keys/${randomUUID()}/requests`, ownedResource: owned('/requests') });
