import { randomUUID } from 'node:crypto';
import type { TestApp } from '../../helpers/app.js';
import { createKey } from '../../helpers/keys.js';
import type { SecuritySpec } from '../../helpers/security-suite.js';

export const statsSpecs = (t: TestApp): SecuritySpec[] => [
  { method: 'GET', url: '/api/stats/usage' },
  { method: 'GET', url: '/api/stats/leaderboard' },
  { method: 'GET', url: '/api/stats/export' },
  { method: 'GET', url: '/api/stats/summary' },
  { method: 'GET', url: '/api/stats/statement' },
  {
    name: 'GET /api/stats/usage (hourly)',
    method: 'GET',
    url: `/api/stats/usage?granularity=hour&range=7d&keyId=${randomUUID()}`,
    ownedResource: async (owner) =>
      `/api/stats/usage?granularity=hour&range=7d&keyId=${(await createKey(t, owner)).id}`,
  },
  {
    method: 'GET',
    url: `/api/stats/compare?keyIds=${randomUUID()},${randomUUID()}`,
    ownedResource: async (owner) => {
      const [a, b] = [await createKey(t, owner), await createKey(t, owner)];
      return `/api/stats/compare?keyIds=${a.id},${b.id}`;
    },
  },
];
