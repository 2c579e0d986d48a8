import { describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.js';
import { crsOperator, relay } from '../helpers/crs-operator.js';
import { createKey, keyRow } from '../helpers/keys.js';
import { authHeaders, createUser, login } from '../helpers/security-suite.js';

/** Point 5 of issue 9: a disabled portal user's keys stop working at the relay; re-enabling restores exactly them. */
const t = await createTestApp();
const operator = crsOperator(t.emulator);
const admin = await createUser(t, { role: 'admin' });
const sync = async () => expect(await t.app.services.sync.runNow()).toMatchObject({ ok: true });
const setStatus = async (userId: string, status: 'active' | 'disabled') => {
  const res = await t.app.inject({
    method: 'PATCH',
    url: `/api/admin/users/${userId}`,
    headers: authHeaders(admin),
    payload: { status },
  });
  expect(res.statusCode, res.body).toBe(200);
};

async function userWithThreeKeys() {
  const user = await createUser(t);
  const working = await createKey(t, user, { name: 'working' });
  const ownOff = await createKey(t, user, { name: 'own-off' });
  const opOff = await createKey(t, user, { name: 'operator-off' });
  const off = await t.app.inject({
    method: 'PATCH',
    url: `/api/keys/${ownOff.id}`,
    headers: authHeaders(user),
    payload: { status: 'disabled' },
  });
  expect(off.statusCode).toBe(200);
  await operator.edit(opOff.crsKeyId, { isActive: false });
  await sync();
  return { user, working, ownOff, opOff };
}

describe('disabling and re-enabling a portal user', () => {
  it('the relay refuses the user’s keys; re-enabled, exactly the keys the disable turned off work again', async () => {
    const { user, working, ownOff, opOff } = await userWithThreeKeys();
    expect(await relay(t.emulator, working.secret)).toBe(200);

    await setStatus(user.id, 'disabled');
    for (const k of [working, ownOff, opOff]) expect(await relay(t.emulator, k.secret)).toBe(401);
    expect(await keyRow(t, working.id)).toMatchObject({ suspended: true, status: 'disabled' });
    await setStatus(user.id, 'disabled'); // idempotent
    await sync(); // the portal's own disable is not taken for the operator's
    expect((await keyRow(t, working.id)).operatorLocks).toBeNull();

    await setStatus(user.id, 'active');
    expect(await relay(t.emulator, working.secret)).toBe(200);
    expect(await relay(t.emulator, ownOff.secret)).toBe(401);
    expect(await relay(t.emulator, opOff.secret)).toBe(401);
    expect(await keyRow(t, working.id)).toMatchObject({ suspended: false, status: 'active' });

    const token = await login(t, user.email, user.password);
    const list = await t.app.inject({ method: 'GET', url: '/api/keys', headers: { authorization: `Bearer ${token}` } });
    const statuses = Object.fromEntries(
      list.json().items.map((k: { name: string; status: string }) => [k.name, k.status]),
    );
    expect(statuses).toEqual({ working: 'active', 'own-off': 'disabled', 'operator-off': 'disabled' });

    const audit = (
      (await t.deps.database.db.execute(
        `select action, details from audit_log where target_id in ('${user.id}', '${working.id}') order by id` as never,
      )) as unknown as { rows: { action: string; details: { suspendedKeys?: { name: string }[] } }[] }
    ).rows;
    const disable = audit.find((a) => a.action === 'user.disable');
    expect(disable?.details.suspendedKeys?.map((k) => k.name)).toEqual(['working']);
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['key.suspend', 'key.resume']));
  });

  it('when CRS fails midway, the sync finishes both directions', async () => {
    const { user, working } = await userWithThreeKeys();
    t.emulator.faults.status = 503;
    try {
      await setStatus(user.id, 'disabled'); // the user is disabled in the portal; CRS refused the key writes
    } finally {
      t.emulator.faults.status = undefined;
    }
    expect(await relay(t.emulator, working.secret)).toBe(200);
    await sync();
    expect(await relay(t.emulator, working.secret)).toBe(401);
    expect((await keyRow(t, working.id)).operatorLocks).toBeNull();

    t.emulator.faults.status = 503;
    try {
      await setStatus(user.id, 'active');
    } finally {
      t.emulator.faults.status = undefined;
    }
    expect(await relay(t.emulator, working.secret)).toBe(401);
    await sync();
    expect(await relay(t.emulator, working.secret)).toBe(200);
    expect(await keyRow(t, working.id)).toMatchObject({ suspended: false, status: 'active', operatorLocks: null });
  });
});
