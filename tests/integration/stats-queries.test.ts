import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.js';
import { createKey } from '../helpers/keys.js';
import { authHeaders, createUser, expectBadRequest, expectError, securitySuite } from '../helpers/security-suite.js';
import { statsSpecs } from '../security/specs/stats.js';

const t = await createTestApp();
const user = await createUser(t);
const other = await createUser(t);
const [k1, k2] = [await createKey(t, user), await createKey(t, user)];
const foreign = await createKey(t, other);
const get = (url: string, who = user) => t.app.inject({ method: 'GET', url, headers: authHeaders(who) });

describe('bad queries get a 400 naming the field', () => {
  it.each([
    ['/api/stats/leaderboard?sortBy=name', 'sortBy'],
    ['/api/stats/leaderboard?limit=0', 'limit'],
    ['/api/stats/leaderboard?limit=1000', 'limit'],
    ['/api/stats/leaderboard?limit=abc', 'limit'],
    ['/api/stats/leaderboard?scope=everyone', 'scope'],
    ['/api/stats/usage?from=2026-03-10&to=2026-03-01', 'from'],
    ['/api/stats/usage?from=2025-01-01&to=2026-02-05', 'to'],
    ['/api/stats/usage?range=400d', 'range'],
    ['/api/stats/usage?from=2026-13-01&to=2026-12-31', 'from'],
    ['/api/stats/usage?from=01/02/2026&to=2026-02-03', 'from'],
    ['/api/stats/usage?from=2026-01-01', 'to'],
    ['/api/stats/usage?keyId=not-a-uuid', 'keyId'],
    ['/api/stats/usage?colour=red', 'colour'],
    ['/api/stats/export?format=xlsx', 'format'],
    ['/api/stats/compare', 'keyIds'],
    [`/api/stats/compare?keyIds=${randomUUID()}`, 'keyIds'],
    [`/api/stats/compare?keyIds=${Array.from({ length: 11 }, () => randomUUID()).join(',')}`, 'keyIds'],
    [`/api/stats/compare?keyIds=${k1.id},${k1.id}`, 'keyIds'],
    [`/api/stats/compare?keyIds=${k1.id},nope`, 'keyIds.1'],
  ])('%s → %s', async (url, field) => {
    expectBadRequest(await get(url), field);
  });

  it('another user’s key is a 404 everywhere', async () => {
    expectError(await get(`/api/stats/compare?keyIds=${k1.id},${foreign.id}`), 404, 'not_found');
    expectError(await get(`/api/stats/usage?keyId=${foreign.id}`), 404, 'not_found');
    expectError(await get(`/api/stats/export?keyId=${foreign.id}`), 404, 'not_found');
    expectError(await get(`/api/keys/${foreign.id}/models`), 404, 'not_found');
  });

  it('scope=all needs the admin role', async () => {
    expectError(await get('/api/stats/leaderboard?scope=all'), 403, 'forbidden');
    const admin = await createUser(t, { role: 'admin' });
    const res = await get('/api/stats/leaderboard?scope=all', admin);
    expect(res.statusCode).toBe(200);
    expect(res.json().items[0]).toHaveProperty('owner');
  });

  it('series have one zero-filled point per day of a custom range', async () => {
    const res = await get(`/api/stats/usage?from=2024-02-27&to=2024-03-02&keyId=${k2.id}`);
    expect(res.json().series.map((p: { date: string }) => p.date)).toEqual([
      '2024-02-27',
      '2024-02-28',
      '2024-02-29',
      '2024-03-01',
      '2024-03-02',
    ]);
    expect(res.json().totals.tokens).toBe(0);
  });
});

for (const spec of statsSpecs(t)) securitySuite(t, spec);
