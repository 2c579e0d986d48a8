import { describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.js';
import { crsOperator } from '../helpers/crs-operator.js';
import { createKey } from '../helpers/keys.js';
import { authHeaders, createUser, expectError } from '../helpers/security-suite.js';

/** Point 3 of issue 9: a write sends only what the user changed; a rollback restores only what was sent. */
const t = await createTestApp();
const operator = crsOperator(t.emulator);
const store = () => t.emulator.store;
const patch = (user: { token: string }, id: string, payload: Record<string, unknown>) =>
  t.app.inject({ method: 'PATCH', url: `/api/keys/${id}`, headers: authHeaders(user), payload });

describe('partial writes', () => {
  it('a limits PATCH sends only the changed field: what the operator changed in CRS stays', async () => {
    const user = await createUser(t);
    const key = await createKey(t, user, {
      limits: { tokenLimit: 100, rateLimitWindow: 60, dailyCostLimit: 5, concurrencyLimit: 1 },
    });
    // The operator changes two limits in CRS; no sync has run since.
    await operator.edit(key.crsKeyId, { tokenLimit: 777, dailyCostLimit: 9.5 });
    t.emulator.resetRequestCounts();

    const res = await patch(user, key.id, { limits: { concurrencyLimit: 2 } });
    expect(res.statusCode, res.body).toBe(200);
    expect(store().getKey(key.crsKeyId)).toMatchObject({
      concurrencyLimit: 2,
      tokenLimit: 777,
      dailyCostLimit: 9.5,
      rateLimitWindow: 60,
    });
    expect(t.emulator.requestCount('PUT /admin/api-keys/:id')).toBe(1);
  });

  it('an unchanged value is not sent at all (the edit form sends every field)', async () => {
    const user = await createUser(t);
    const key = await createKey(t, user, { name: 'same', limits: { concurrencyLimit: 3 }, models: ['m-1'] });
    t.emulator.resetRequestCounts();
    const res = await patch(user, key.id, {
      name: 'same',
      description: 'only this changes',
      limits: { concurrencyLimit: 3, tokenLimit: 0 },
      models: ['m-1'],
      expiresAt: null,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().description).toBe('only this changes');
    expect(t.emulator.requestCount()).toBe(0);
  });

  it('a rollback after a failed write restores only the fields it had sent', async () => {
    const user = await createUser(t);
    const key = await createKey(t, user, { name: 'orig', limits: { concurrencyLimit: 1 } });
    await operator.edit(key.crsKeyId, { dailyCostLimit: 7 });
    const db = t.deps.database.db;
    // The row update after CRS's yes fails (a real PostgreSQL error, for this key only).
    await db.execute(
      `create or replace function kp_fail_key() returns trigger language plpgsql as $$
       begin if new.id = '${key.id}' and new.name = 'new-name' then raise exception 'disk full'; end if;
       return new; end $$` as never,
    );
    await db.execute(
      'create trigger kp_fail_key before update on api_keys for each row execute function kp_fail_key()' as never,
    );
    const expiresAt = new Date(Date.now() + 9 * 86_400_000).toISOString();
    try {
      const res = await patch(user, key.id, { name: 'new-name', limits: { concurrencyLimit: 5 }, expiresAt });
      expectError(res, 500, 'internal');
    } finally {
      await db.execute('drop trigger kp_fail_key on api_keys' as never);
    }
    expect(store().getKey(key.crsKeyId)).toMatchObject({
      name: 'orig',
      concurrencyLimit: 1,
      expiresAt: '',
      // Not sent by the write, so not "restored" to the portal's stale 0 either.
      dailyCostLimit: 7,
    });
  });
});
