import { describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.js';
import { crsOperator, relay } from '../helpers/crs-operator.js';
import { createKey, keyRow } from '../helpers/keys.js';
import { authHeaders, createUser, expectError, securitySuite } from '../helpers/security-suite.js';

/** Point 4 of issue 9: the operator stays in charge of what they tightened in CRS, until an admin releases it. */
let offsetMs = 0;
const t = await createTestApp({ clock: () => new Date(Date.now() + offsetMs) });
const operator = crsOperator(t.emulator);
const store = () => t.emulator.store;
const admin = await createUser(t, { role: 'admin' });
const sync = async () => expect(await t.app.services.sync.runNow()).toMatchObject({ ok: true });
const patch = (user: { token: string }, id: string, payload: Record<string, unknown>) =>
  t.app.inject({ method: 'PATCH', url: `/api/keys/${id}`, headers: authHeaders(user), payload });
const getKey = async (user: { token: string }, id: string) =>
  (await t.app.inject({ method: 'GET', url: `/api/keys/${id}`, headers: authHeaders(user) })).json();
const actions = async (keyId: string) =>
  (
    (await t.deps.database.db.execute(
      `select action from audit_log where target_id = '${keyId}' order by id` as never,
    )) as unknown as { rows: { action: string }[] }
  ).rows.map((r) => r.action);

describe('an operator’s disable', () => {
  it('cannot be undone by the owner (409 operator_locked) until an admin releases it', async () => {
    const user = await createUser(t);
    const key = await createKey(t, user);
    await operator.edit(key.crsKeyId, { isActive: false });
    await sync();

    const view = await getKey(user, key.id);
    expect(view).toMatchObject({ status: 'disabled', operator: { disabled: true, limits: {}, models: [] } });
    const enable = await patch(user, key.id, { status: 'active' });
    expectError(enable, 409, 'operator_locked');
    expect(enable.json().error.details).toEqual([
      { path: 'status', message: expect.stringContaining('operator'), code: 'operator_held' },
    ]);
    expect(store().getKey(key.crsKeyId)!.isActive).toBe(false);
    // Other changes are still the owner's to make.
    expect((await patch(user, key.id, { name: 'renamed' })).statusCode).toBe(200);
    expect(store().getKey(key.crsKeyId)!.isActive).toBe(false);

    const held = await t.app.inject({ method: 'GET', url: '/api/admin/keys?locked=true', headers: authHeaders(admin) });
    expect(held.statusCode, held.body).toBe(200);
    const item = held.json().items.find((k: { id: string }) => k.id === key.id);
    expect(item).toMatchObject({ name: 'renamed', status: 'disabled', owner: { email: user.email } });
    expect(item.operator).toMatchObject({ disabled: true, since: expect.any(String) });
    expect(held.body).not.toContain(key.crsKeyId);

    const release = await t.app.inject({
      method: 'POST',
      url: `/api/admin/keys/${key.id}/release`,
      headers: authHeaders(admin),
      payload: {},
    });
    expect(release.statusCode, release.body).toBe(200);
    expect(release.json().operator).toBeNull();
    const again = await patch(user, key.id, { status: 'active' });
    expect(again.statusCode, again.body).toBe(200);
    expect(await relay(t.emulator, key.secret)).toBe(200);
    // The owner's own re-enable is not taken for the operator's: no new lock.
    await sync();
    expect((await getKey(user, key.id)).operator).toBeNull();
    expect(await actions(key.id)).toEqual(
      expect.arrayContaining(['key.operator_change', 'key.locked', 'key.release', 'key.enable']),
    );
  });

  it('an operator who re-enables just changes the truth, and the lock goes with it', async () => {
    const user = await createUser(t);
    const key = await createKey(t, user);
    await operator.edit(key.crsKeyId, { isActive: false });
    await sync();
    await operator.edit(key.crsKeyId, { isActive: true });
    await sync();
    expect(await getKey(user, key.id)).toMatchObject({ status: 'active', operator: null });
  });

  it('CRS’s own expiry cleanup is `expired`, never an operator lock', async () => {
    const user = await createUser(t);
    const key = await createKey(t, user, { expiresAt: new Date(Date.now() + 86_400_000).toISOString() });
    await sync();
    // A day later CRS's hourly cleanup turns the expired key inactive.
    const crsKey = store().getKey(key.crsKeyId)!;
    crsKey.expiresAt = new Date(Date.now() - 60_000).toISOString();
    crsKey.isActive = false;
    await sync();
    expect(await getKey(user, key.id)).toMatchObject({ status: 'expired', operator: null });
  });
});

describe('an operator’s limits and model blocks', () => {
  it('a lowered or newly set limit is a ceiling: lower is fine, higher or unlimited is refused', async () => {
    const user = await createUser(t);
    const key = await createKey(t, user, { limits: { dailyCostLimit: 20 } });
    await operator.edit(key.crsKeyId, { dailyCostLimit: 5, concurrencyLimit: 3, rateLimitWindow: 60 });
    await sync();
    expect((await getKey(user, key.id)).operator.limits).toEqual({
      dailyCostLimit: 5,
      concurrencyLimit: 3,
      rateLimitWindow: 60,
    });

    for (const [limits, field] of [
      [{ dailyCostLimit: 6 }, 'limits.dailyCostLimit'],
      [{ dailyCostLimit: 0 }, 'limits.dailyCostLimit'],
      [{ concurrencyLimit: 0 }, 'limits.concurrencyLimit'],
      [{ rateLimitWindow: 30 }, 'limits.rateLimitWindow'],
    ] as const) {
      const res = await patch(user, key.id, { limits });
      expectError(res, 409, 'operator_locked');
      expect(res.json().error.details.map((d: { path: string }) => d.path)).toEqual([field]);
    }
    expect(store().getKey(key.crsKeyId)).toMatchObject({ dailyCostLimit: 5, concurrencyLimit: 3, rateLimitWindow: 60 });
    const lower = await patch(user, key.id, {
      limits: { dailyCostLimit: 2, concurrencyLimit: 1, rateLimitWindow: 120 },
    });
    expect(lower.statusCode, lower.body).toBe(200);
    expect(store().getKey(key.crsKeyId)).toMatchObject({
      dailyCostLimit: 2,
      concurrencyLimit: 1,
      rateLimitWindow: 120,
    });
    // The ceiling stays the operator's, whatever the owner chose below it.
    expect((await patch(user, key.id, { limits: { dailyCostLimit: 5 } })).statusCode).toBe(200);
    expectError(await patch(user, key.id, { limits: { dailyCostLimit: 5.01 } }), 409, 'operator_locked');
  });

  it('a raised limit moves the ceiling, 0 clears it', async () => {
    const user = await createUser(t);
    const key = await createKey(t, user);
    await operator.edit(key.crsKeyId, { totalCostLimit: 10 });
    await sync();
    await operator.edit(key.crsKeyId, { totalCostLimit: 50 });
    await sync();
    expect((await getKey(user, key.id)).operator.limits).toEqual({ totalCostLimit: 50 });
    await operator.edit(key.crsKeyId, { totalCostLimit: 0 });
    await sync();
    expect(await getKey(user, key.id)).toMatchObject({ operator: null, limits: { totalCostLimit: 0 } });
  });

  it('a model the operator blocked cannot be unblocked by the owner', async () => {
    const user = await createUser(t);
    const key = await createKey(t, user, { models: ['claude-haiku-4-5-20251001'] });
    await operator.edit(key.crsKeyId, {
      enableModelRestriction: true,
      restrictedModels: ['claude-haiku-4-5-20251001', 'claude-opus-4-1-20250805'],
    });
    await sync();
    expect((await getKey(user, key.id)).operator.models).toEqual(['claude-opus-4-1-20250805']);
    const res = await patch(user, key.id, { models: [] });
    expectError(res, 409, 'operator_locked');
    expect(res.json().error.details[0].path).toBe('models');
    // Unblocking the owner's own block is fine.
    const own = await patch(user, key.id, { models: ['claude-opus-4-1-20250805'] });
    expect(own.statusCode, own.body).toBe(200);
    expect(store().getKey(key.crsKeyId)!.restrictedModels).toEqual(['claude-opus-4-1-20250805']);
  });

  it('a partial release frees only what it names', async () => {
    const user = await createUser(t);
    const key = await createKey(t, user);
    await operator.edit(key.crsKeyId, { isActive: false, concurrencyLimit: 2 });
    await sync();
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/admin/keys/${key.id}/release`,
      headers: authHeaders(admin),
      payload: { fields: ['limits.concurrencyLimit'] },
    });
    expect(res.json().operator).toMatchObject({ disabled: true, limits: {} });
    expect((await patch(user, key.id, { limits: { concurrencyLimit: 0 } })).statusCode).toBe(200);
    expectError(await patch(user, key.id, { status: 'active' }), 409, 'operator_locked');
    const bad = await t.app.inject({
      method: 'POST',
      url: `/api/admin/keys/${key.id}/release`,
      headers: authHeaders(admin),
      payload: { fields: ['everything'] },
    });
    expect(bad.statusCode).toBe(400);
  });
});

describe('the portal’s own writes are never taken for the operator’s', () => {
  it('a write that timed out and landed later is adopted as the portal’s once its deadline passed', async () => {
    const user = await createUser(t);
    const key = await createKey(t, user);
    await sync();
    t.emulator.pause();
    const res = await patch(user, key.id, { status: 'disabled' });
    expectError(res, 503, 'upstream_unavailable');
    t.emulator.resume(); // the held PUT is processed now: CRS has the key disabled
    await new Promise((r) => setTimeout(r, 50));
    expect(store().getKey(key.crsKeyId)!.isActive).toBe(false);
    expect((await keyRow(t, key.id)).pendingWrite).not.toBeNull();

    await sync(); // within the deadline: not judged at all
    expect((await keyRow(t, key.id)).operatorLocks).toBeNull();
    // A second change meanwhile is refused rather than raced.
    expectError(await patch(user, key.id, { name: 'x' }), 409, 'conflict');

    offsetMs += 60_000; // past the write's deadline
    await sync();
    const row = await keyRow(t, key.id);
    expect(row).toMatchObject({ status: 'disabled', operatorLocks: null, pendingWrite: null });
    expect(await actions(key.id)).not.toContain('key.operator_change');
    expect((await patch(user, key.id, { status: 'active' })).statusCode).toBe(200);
  });
});

securitySuite(t, { method: 'GET', url: '/api/admin/keys?locked=true', admin: true });
securitySuite(t, {
  method: 'POST',
  url: '/api/admin/keys/00000000-0000-4000-8000-000000000000/release',
  admin: true,
  body: { valid: {}, invalid: [{ body: { fields: ['nope'] }, field: 'fields.0' }] },
});
