import { describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.js';
import { createKey, keyRow } from '../helpers/keys.js';
import { authHeaders, createUser, expectBadRequest, expectError } from '../helpers/security-suite.js';

const t = await createTestApp({ env: { KEY_MAX_DAILY_COST: '10' } });
const store = () => t.emulator.store;
const as = (user: { token: string }) => ({ headers: authHeaders(user) });

describe('create', () => {
  it('creates the key in CRS tagged with its owner, returns the secret once and stores only a mask', async () => {
    const user = await createUser(t);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/keys',
      ...as(user),
      payload: {
        name: 'laptop',
        description: 'my <b>laptop</b>',
        limits: { concurrencyLimit: 2 },
        models: ['claude-opus-4-1-20250805'],
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const { key, secret } = res.json();
    expect(secret).toMatch(/^cr_[0-9a-f]{64}$/);
    expect(key).toMatchObject({
      name: 'laptop',
      description: 'my <b>laptop</b>',
      status: 'active',
      maskedKey: `${secret.slice(0, 7)}…${secret.slice(-4)}`,
      models: ['claude-opus-4-1-20250805'],
      usage: { requests: 0, tokens: 0, cost: 0 },
    });
    // Operator cap: no daily cost limit asked → the cap itself.
    expect(key.limits).toMatchObject({ concurrencyLimit: 2, dailyCostLimit: 10 });

    const row = await keyRow(t, key.id);
    expect(res.body).not.toContain(row.crsKeyId);
    const crsKey = store().getKey(row.crsKeyId)!;
    expect(crsKey).toMatchObject({
      name: 'laptop',
      isActive: true,
      tags: ['portal', `portal-user:${user.id}`],
      enableModelRestriction: true,
      restrictedModels: ['claude-opus-4-1-20250805'],
      concurrencyLimit: 2,
      dailyCostLimit: 10,
    });
    expect(JSON.stringify(row)).not.toContain(secret);
    expect(JSON.stringify(row)).not.toContain(secret.slice(3, 40));
  });

  it('refuses bad input with the field named, and writes nothing', async () => {
    const user = await createUser(t);
    const cases: Array<[Record<string, unknown>, string]> = [
      [{}, 'name'],
      [{ name: '   ' }, 'name'],
      [{ name: 'x'.repeat(101) }, 'name'],
      [{ name: 'a', description: 'd'.repeat(501) }, 'description'],
      [{ name: 'a', colour: 'red' }, 'colour'],
      [{ name: 'a', limits: { tokenLimit: -1 } }, 'limits.tokenLimit'],
      [{ name: 'a', limits: { dailyCostLimit: 11 } }, 'limits.dailyCostLimit'],
      [{ name: 'a', limits: { rateLimitRequests: 5 } }, 'limits.rateLimitWindow'],
      [{ name: 'a', expiresAt: 'tomorrow' }, 'expiresAt'],
      [{ name: 'a', expiresAt: '2001-01-01T00:00:00Z' }, 'expiresAt'],
      [{ name: 'a', models: ['<script>'] }, 'models.0'],
      [{ name: 7 }, 'name'],
    ];
    const before = store().keyCount();
    for (const [payload, field] of cases) {
      const res = await t.app.inject({ method: 'POST', url: '/api/keys', ...as(user), payload });
      expectBadRequest(res, field);
    }
    expect(store().keyCount()).toBe(before);
    const list = await t.app.inject({ method: 'GET', url: '/api/keys', ...as(user) });
    expect(list.json().total).toBe(0);
  });

  it('enforces the per-user quota with 409, also under concurrent creates', async () => {
    const user = await createUser(t);
    await t.deps.database.db.execute(`update users set max_keys = 2 where id = '${user.id}'` as never);
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        t.app.inject({ method: 'POST', url: '/api/keys', ...as(user), payload: { name: `k${i}` } }),
      ),
    );
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 201, 409, 409, 409]);
    expectError(results.find((r) => r.statusCode === 409)!, 409, 'conflict');
    const tagged = [...store().keys.keys.values()].filter((k) => k.tags.includes(`portal-user:${user.id}`));
    expect(tagged).toHaveLength(2);
  });

  it('answers 503 when CRS is down and writes no row', async () => {
    const user = await createUser(t);
    t.emulator.faults.down = true;
    try {
      const res = await t.app.inject({ method: 'POST', url: '/api/keys', ...as(user), payload: { name: 'offline' } });
      expectError(res, 503, 'upstream_unavailable');
    } finally {
      t.emulator.faults.down = false;
    }
    const list = await t.app.inject({ method: 'GET', url: '/api/keys?status=all', ...as(user) });
    expect(list.json().total).toBe(0);
  });

  it('a database failure after CRS said yes: 503, nothing delivered, the CRS key soft-deleted (never hard)', async () => {
    const user = await createUser(t);
    const db = t.deps.database.db;
    // A real failure of the row insert, for this user only.
    await db.execute(
      `create or replace function kp_fail() returns trigger language plpgsql as $$
      begin if new.user_id = '${user.id}' then raise exception 'disk full'; end if; return new; end $$` as never,
    );
    await db.execute(
      'create trigger kp_fail before insert on api_keys for each row execute function kp_fail()' as never,
    );
    try {
      const res = await t.app.inject({ method: 'POST', url: '/api/keys', ...as(user), payload: { name: 'doomed' } });
      expectError(res, 503, 'upstream_unavailable');
      expect(res.json().error.message).toContain('not created');
      expect(res.body).not.toContain('disk full');
      expect(res.body).not.toContain('cr_');
    } finally {
      await db.execute('drop trigger kp_fail on api_keys' as never);
    }
    const made = [...store().keys.keys.values()].filter((k) => k.tags.includes(`portal-user:${user.id}`));
    expect(made.map((k) => k.isDeleted)).toEqual([true]);
  });
});

describe('read, update, disable, delete', () => {
  it('lists with paging, search, status filter and sort', async () => {
    const user = await createUser(t);
    for (const name of ['alpha', 'beta', 'gamma', 'delta_x']) await createKey(t, user, { name });
    const page = await t.app.inject({
      method: 'GET',
      url: '/api/keys?pageSize=2&page=2&sort=createdAt&order=asc',
      ...as(user),
    });
    expect(page.json()).toMatchObject({ page: 2, pageSize: 2, total: 4 });
    expect(page.json().items.map((k: { name: string }) => k.name)).toEqual(['gamma', 'delta_x']);
    const search = await t.app.inject({ method: 'GET', url: '/api/keys?search=_', ...as(user) });
    expect(search.json().items.map((k: { name: string }) => k.name)).toEqual(['delta_x']);
    for (const q of ['pageSize=101', 'page=0', 'sort=name', 'order=up', 'status=gone', 'foo=1']) {
      const res = await t.app.inject({ method: 'GET', url: `/api/keys?${q}`, ...as(user) });
      expectBadRequest(res, q.split('=')[0]);
    }
  });

  it('renames, re-describes, changes limits, models and expiry in CRS; expiry never re-enables a disabled key', async () => {
    const user = await createUser(t);
    const key = await createKey(t, user, { name: 'ci' });
    const disable = await t.app.inject({
      method: 'PATCH',
      url: `/api/keys/${key.id}`,
      ...as(user),
      payload: { status: 'disabled' },
    });
    expect(disable.json().status).toBe('disabled');
    expect(store().getKey(key.crsKeyId)!.isActive).toBe(false);

    const expiresAt = new Date(Date.now() + 30 * 86_400_000).toISOString();
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/api/keys/${key.id}`,
      ...as(user),
      payload: {
        name: 'ci-renamed',
        description: 'builds',
        limits: { rateLimitWindow: 60, rateLimitRequests: 100 },
        models: [],
        expiresAt,
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      name: 'ci-renamed',
      description: 'builds',
      status: 'disabled',
      expiresAt,
      models: [],
    });
    const crsKey = store().getKey(key.crsKeyId)!;
    expect(crsKey).toMatchObject({
      name: 'ci-renamed',
      isActive: false,
      rateLimitWindow: 60,
      rateLimitRequests: 100,
      enableModelRestriction: false,
    });
    expect(new Date(crsKey.expiresAt).toISOString()).toBe(expiresAt);
    // CRS cannot change a description: the portal keeps it; CRS keeps the create marker it was made with.
    expect(crsKey.description).toMatch(/^\[kp:[0-9a-f-]{36}\]$/);

    const enable = await t.app.inject({
      method: 'PATCH',
      url: `/api/keys/${key.id}`,
      ...as(user),
      payload: { status: 'active' },
    });
    expect(enable.json().status).toBe('active');
    expect(store().getKey(key.crsKeyId)!.isActive).toBe(true);
  });

  it('deletes softly: CRS key deleted, row kept as deleted, hidden from the default list', async () => {
    const user = await createUser(t);
    const key = await createKey(t, user);
    const del = await t.app.inject({ method: 'DELETE', url: `/api/keys/${key.id}`, ...as(user) });
    expect(del.statusCode).toBe(204);
    expect(store().getKey(key.crsKeyId)!.isDeleted).toBe(true);
    const again = await t.app.inject({ method: 'DELETE', url: `/api/keys/${key.id}`, ...as(user) });
    expect(again.statusCode).toBe(204);
    const get = await t.app.inject({ method: 'GET', url: `/api/keys/${key.id}`, ...as(user) });
    expect(get.json().status).toBe('deleted');
    const list = await t.app.inject({ method: 'GET', url: '/api/keys', ...as(user) });
    expect(list.json().total).toBe(0);
    const deleted = await t.app.inject({ method: 'GET', url: '/api/keys?status=deleted', ...as(user) });
    expect(deleted.json().total).toBe(1);
    const patch = await t.app.inject({
      method: 'PATCH',
      url: `/api/keys/${key.id}`,
      ...as(user),
      payload: { name: 'zombie' },
    });
    expectError(patch, 409, 'conflict');
  });

  it('writes an audit row for every change', async () => {
    const user = await createUser(t);
    const key = await createKey(t, user);
    await t.app.inject({ method: 'PATCH', url: `/api/keys/${key.id}`, ...as(user), payload: { status: 'disabled' } });
    await t.app.inject({ method: 'PATCH', url: `/api/keys/${key.id}`, ...as(user), payload: { name: 'n2' } });
    await t.app.inject({ method: 'DELETE', url: `/api/keys/${key.id}`, ...as(user) });
    const rows = await t.deps.database.db.execute(
      `select action from audit_log where target_id = '${key.id}' order by id` as never,
    );
    expect((rows as unknown as { rows: { action: string }[] }).rows.map((r) => r.action)).toEqual([
      'key.create',
      'key.disable',
      'key.update',
      'key.delete',
    ]);
  });

  it('gives usage instructions without the secret', async () => {
    const user = await createUser(t);
    const key = await createKey(t, user, { name: 'cc' });
    const res = await t.app.inject({ method: 'GET', url: `/api/keys/${key.id}/instructions`, ...as(user) });
    expect(res.statusCode).toBe(200);
    expect(res.json().env.ANTHROPIC_BASE_URL).toBe(`${t.emulator.url}/api`);
    expect(res.body).not.toContain(key.secret);
  });
});
