import { describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.js';
import { crsOperator, relay } from '../helpers/crs-operator.js';
import { createKey, keyRow } from '../helpers/keys.js';
import { authHeaders, createUser } from '../helpers/security-suite.js';

/** Points 1, 2 and 6 of issue 9: keys are tracked by CRS id, and CRS is the truth for the fields it holds. */
const t = await createTestApp();
const operator = crsOperator(t.emulator);
const store = () => t.emulator.store;
const sync = async () => expect(await t.app.services.sync.runNow()).toMatchObject({ ok: true });
const getKey = async (user: { token: string }, id: string) =>
  (await t.app.inject({ method: 'GET', url: `/api/keys/${id}`, headers: authHeaders(user) })).json();
const auditOf = async (keyId: string) =>
  (
    (await t.deps.database.db.execute(
      `select action, details from audit_log where target_id = '${keyId}' order by id` as never,
    )) as unknown as { rows: { action: string; details: Record<string, unknown> }[] }
  ).rows;

describe('a key whose tags an operator replaced in CRS', () => {
  it('stays live with its usage, gets its portal tags back (the operator’s kept), and its owner still controls it', async () => {
    const user = await createUser(t);
    const key = await createKey(t, user, { name: 'tagged' });
    await sync();
    // The CRS admin UI's tag editor replaces the whole list (quirk 14); the key keeps spending.
    await operator.edit(key.crsKeyId, { tags: ['vip'] });
    expect(await relay(t.emulator, key.secret)).toBe(200);
    expect(await relay(t.emulator, key.secret)).toBe(200);
    t.emulator.resetRequestCounts();

    await sync();

    const view = await getKey(user, key.id);
    expect(view).toMatchObject({ status: 'active', crsState: 'live', usage: { requests: 2 } });
    expect(view.usage.cost).toBeGreaterThan(0);
    expect(store().getKey(key.crsKeyId)!.tags).toEqual(['vip', 'portal', `portal-user:${user.id}`]);
    // Found by id through the list's search, not by re-listing everything; never deleted.
    expect(t.emulator.requestCount('PUT /admin/api-keys/:id')).toBe(1);
    expect(t.emulator.requestCount('DELETE /admin/api-keys/:id')).toBe(0);
    expect((await auditOf(key.id)).map((a) => a.action)).toContain('key.tags_restored');

    const disable = await t.app.inject({
      method: 'PATCH',
      url: `/api/keys/${key.id}`,
      headers: authHeaders(user),
      payload: { status: 'disabled' },
    });
    expect(disable.statusCode, disable.body).toBe(200);
    expect(await relay(t.emulator, key.secret)).toBe(401);
    // The next cycle finds it in the tag list again: nothing more to do.
    t.emulator.resetRequestCounts();
    await sync();
    expect(t.emulator.requestCount('PUT /admin/api-keys/:id')).toBe(0);
    expect((await getKey(user, key.id)).status).toBe('disabled');
  });
});

describe('operator edits in the CRS admin', () => {
  it('name, every limit, models, expiry and status show in the portal after one sync', async () => {
    const user = await createUser(t);
    const key = await createKey(t, user, { name: 'before', limits: { concurrencyLimit: 2 } });
    await sync();
    const expiresAt = new Date(Date.now() + 40 * 86_400_000).toISOString();
    const limits = {
      tokenLimit: 777,
      rateLimitWindow: 30,
      rateLimitRequests: 50,
      rateLimitCost: 1.5,
      dailyCostLimit: 9.5,
      totalCostLimit: 120,
      weeklyOpusCostLimit: 20,
      concurrencyLimit: 4,
    };
    await operator.edit(key.crsKeyId, {
      name: 'renamed-by-operator',
      ...limits,
      enableModelRestriction: true,
      restrictedModels: ['claude-opus-4-1-20250805'],
    });
    await operator.expire(key.crsKeyId, expiresAt);

    await sync();

    expect(await getKey(user, key.id)).toMatchObject({
      name: 'renamed-by-operator',
      expiresAt,
      models: ['claude-opus-4-1-20250805'],
      limits,
    });
    const change = (await auditOf(key.id)).find((a) => a.action === 'key.operator_change');
    expect(change?.details.changes).toMatchObject({
      name: { from: 'before', to: 'renamed-by-operator' },
      'limits.tokenLimit': { from: 0, to: 777 },
    });
  });
});

describe('deleted, gone and restored in CRS', () => {
  it('tells soft-deleted from gone, and brings back a key the operator restored', async () => {
    const user = await createUser(t);
    const soft = await createKey(t, user, { name: 'soft' });
    const hard = await createKey(t, user, { name: 'hard' });
    await sync();
    await operator.softDelete(soft.crsKeyId);
    await operator.hardDelete(hard.crsKeyId);
    t.emulator.resetRequestCounts();
    await sync();
    // One read of CRS's deleted list for both, only because keys went missing.
    expect(t.emulator.requestCount('GET /admin/api-keys/deleted')).toBe(1);
    expect(await getKey(user, soft.id)).toMatchObject({ status: 'deleted', crsState: 'deleted' });
    expect(await getKey(user, hard.id)).toMatchObject({ status: 'deleted', crsState: 'gone' });
    expect((await auditOf(soft.id)).at(-1)).toMatchObject({
      action: 'key.deleted_in_crs',
      details: { crsState: 'deleted' },
    });

    await operator.restore(soft.crsKeyId);
    await sync();
    const back = await getKey(user, soft.id);
    expect(back).toMatchObject({ status: 'active', crsState: 'live' });
    expect((await keyRow(t, soft.id)).deletedAt).toBeNull();
    expect((await auditOf(soft.id)).at(-1)?.action).toBe('key.restored_in_crs');
    const list = await t.app.inject({ method: 'GET', url: '/api/keys', headers: authHeaders(user) });
    expect(list.json().items.map((k: { name: string }) => k.name)).toEqual(['soft']);

    // A steady state costs nothing extra: no deleted-list read, no search.
    t.emulator.resetRequestCounts();
    await sync();
    expect(t.emulator.requestCount('GET /admin/api-keys/deleted')).toBe(0);
    expect(t.emulator.requestCount('GET /admin/api-keys')).toBe(1);
  });

  it('a key its owner deleted while a sync was listing is not revived by that sync', async () => {
    const user = await createUser(t);
    const key = await createKey(t, user);
    await sync();
    // The state a sync meets when the owner's delete lands between its list read and its judgement: the row
    // was deleted after the cycle began, the list it read still had the key live.
    await t.deps.database.db.execute(
      `update api_keys set status = 'deleted', crs_state = 'deleted', deleted_at = now(),
         updated_at = now() + interval '1 minute' where id = '${key.id}'` as never,
    );
    await sync();
    expect(await getKey(user, key.id)).toMatchObject({ status: 'deleted' });
    expect((await auditOf(key.id)).map((a) => a.action)).not.toContain('key.restored_in_crs');
  });
});
