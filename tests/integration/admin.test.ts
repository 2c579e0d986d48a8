import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.js';
import { createKey } from '../helpers/keys.js';
import { authHeaders, createUser, expectBadRequest, expectError, securitySuite } from '../helpers/security-suite.js';
import { adminSpecs } from '../security/specs/admin.js';

const t = await createTestApp({ env: { REGISTRATION: 'invite' } });
const admin = await createUser(t, { role: 'admin' });
const as = (u: { token: string }) => ({ headers: authHeaders(u) });

describe('admin', () => {
  it('overview: CRS dashboard, portal counts, sync status, cache, alerts', async () => {
    const user = await createUser(t);
    await createKey(t, user);
    await t.app.services.sync.runNow();
    const res = await t.app.inject({ method: 'GET', url: '/api/admin/overview', ...as(admin) });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.portal).toMatchObject({ users: expect.any(Number), keys: 1, activeKeys: 1 });
    expect(body.crs).toMatchObject({ totalApiKeys: expect.any(Number), stale: false });
    expect(body.crsTrend.days).toHaveLength(30);
    expect(body.crsTrend).toMatchObject({ stale: false, asOf: expect.any(String) });
    expect(body.sync).toMatchObject({ lastError: null, running: false, lastRunAt: expect.any(String) });
    expect(body.cache.namespaces).toHaveProperty('stats');
    expect(body.alerts).toEqual(expect.any(Array));
    expect(JSON.stringify(body)).not.toContain('admin'.repeat(2));
  });

  it('overview still answers when CRS is down (last good dashboard, marked stale)', async () => {
    t.emulator.faults.down = true;
    try {
      const res = await t.app.inject({ method: 'GET', url: '/api/admin/overview', ...as(admin) });
      expect(res.statusCode).toBe(200);
    } finally {
      t.emulator.faults.down = false;
    }
  });

  it('users: list, disable (sessions stop at once), promote, quota', async () => {
    const user = await createUser(t);
    await createKey(t, user);
    const list = await t.app.inject({ method: 'GET', url: `/api/admin/users?search=${user.email}`, ...as(admin) });
    expect(list.json().items).toHaveLength(1);
    expect(list.json().items[0].keys).toBe(1);
    expect(list.body).not.toMatch(/password|hash/i);

    const quota = await t.app.inject({
      method: 'PATCH',
      url: `/api/admin/users/${user.id}`,
      ...as(admin),
      payload: { maxKeys: 1 },
    });
    expect(quota.json()).toMatchObject({ maxKeys: 1, maxKeysDefault: false, keys: 1 });
    const second = await t.app.inject({ method: 'POST', url: '/api/keys', ...as(user), payload: { name: 'two' } });
    expectError(second, 409, 'conflict');

    expect((await t.app.inject({ method: 'GET', url: '/api/auth/me', ...as(user) })).statusCode).toBe(200);
    const disabled = await t.app.inject({
      method: 'PATCH',
      url: `/api/admin/users/${user.id}`,
      ...as(admin),
      payload: { status: 'disabled' },
    });
    expect(disabled.json().status).toBe('disabled');
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/me', ...as(user) })).statusCode).toBe(401);

    const promoted = await t.app.inject({
      method: 'PATCH',
      url: `/api/admin/users/${user.id}`,
      ...as(admin),
      payload: { role: 'admin', status: 'active' },
    });
    expect(promoted.json()).toMatchObject({ role: 'admin', status: 'active' });
  });

  it('an admin cannot lock themselves out', async () => {
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/api/admin/users/${admin.id}`,
      ...as(admin),
      payload: { role: 'user' },
    });
    expectError(res, 409, 'conflict');
  });

  it('invites: codes that let someone register under the invite policy, once', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/admin/invites', ...as(admin), payload: { count: 2 } });
    expect(res.statusCode).toBe(201);
    const [code] = res.json().codes;
    const reg = (email: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/auth/register',
        payload: { email, password: 'long enough password', inviteCode: code },
      });
    expect((await reg(`a-${randomUUID()}@example.com`)).statusCode).toBe(201);
    expect((await reg(`b-${randomUUID()}@example.com`)).statusCode).toBeGreaterThanOrEqual(400);
  });

  it('cache: statistics and purge by namespace; sync now', async () => {
    const stats = await t.app.inject({ method: 'GET', url: '/api/admin/cache', ...as(admin) });
    expect(stats.json().namespaces.auth).toMatchObject({ hits: expect.any(Number), misses: expect.any(Number) });
    const purge = await t.app.inject({
      method: 'POST',
      url: '/api/admin/cache/purge',
      ...as(admin),
      payload: { namespace: 'stats' },
    });
    expect(purge.json()).toEqual({ deleted: expect.any(Number) });
    expectBadRequest(
      await t.app.inject({
        method: 'POST',
        url: '/api/admin/cache/purge',
        ...as(admin),
        payload: { namespace: 'everything' },
      }),
      'namespace',
    );
    const sync = await t.app.inject({ method: 'POST', url: '/api/admin/sync', ...as(admin) });
    expect(sync.statusCode).toBe(202);
  });

  it('validates user patches', async () => {
    const user = await createUser(t);
    for (const [payload, field] of [
      [{ role: 'root' }, 'role'],
      [{ maxKeys: -1 }, 'maxKeys'],
      [{ status: 'banned' }, 'status'],
      [{ email: 'x@y.z' }, 'email'],
    ] as const) {
      expectBadRequest(
        await t.app.inject({ method: 'PATCH', url: `/api/admin/users/${user.id}`, ...as(admin), payload }),
        field,
      );
    }
    expectError(
      await t.app.inject({
        method: 'PATCH',
        url: `/api/admin/users/${randomUUID()}`,
        ...as(admin),
        payload: { maxKeys: 3 },
      }),
      404,
      'not_found',
    );
  });
});

for (const spec of adminSpecs()) securitySuite(t, spec);
