import { describe, expect, it } from 'vitest';
import { PORTAL_TAG } from '../../src/domain/keys/crs-fields.js';
import { writeKeyStates } from '../../src/infra/db/repos/sync-writes.js';
import { judge } from '../../src/jobs/sync/judge.js';
import { listedKey } from '../../src/jobs/sync/plan.js';
import { loadPortalKeys } from '../../src/jobs/sync/rows.js';
import { createTestApp } from '../helpers/app.js';
import { createHeldByCrs, createKey, keyRow } from '../helpers/keys.js';
import { authHeaders, createUser, expectError } from '../helpers/security-suite.js';

/** The interleavings a sync and a key write can meet, made deterministic by running the sync's steps by hand. */
const t = await createTestApp();
const db = t.deps.database.db;

describe('a portal write that lands while a sync judges the key', () => {
  it('is never taken for the operator’s: the judgement lands only on the row the sync read', async () => {
    const user = await createUser(t);
    const key = await createKey(t, user);
    // The sync reads the rows first …
    const rows = await loadPortalKeys(db);
    // … then the owner disables the key (CRS first, then the row) …
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/api/keys/${key.id}`,
      headers: authHeaders(user),
      payload: { status: 'disabled' },
    });
    expect(res.statusCode).toBe(200);
    // … then the sync reads CRS: disabled, which its old row copy says the portal did not do.
    const listed = new Map((await t.deps.crs.listAllKeys(PORTAL_TAG, listedKey)).map((k) => [k.id, k]));
    const row = rows.find((r) => r.id === key.id)!;
    const state = judge(row, listed.get(key.crsKeyId), new Date())!;
    expect(state.locks?.disabled).toBe(true); // what a blind write would record
    expect(await writeKeyStates(db, [state], new Date())).toEqual([]);
    expect((await keyRow(t, key.id)).operatorLocks).toBeNull();
    // The next cycle sees the row and CRS agree.
    expect(await t.app.services.sync.runNow()).toMatchObject({ ok: true });
    expect(await keyRow(t, key.id)).toMatchObject({ status: 'disabled', operatorLocks: null });
  });
});

describe('an owner disabled while their create is in flight', () => {
  it('gets no key: the create is given up and its CRS key soft-deleted', async () => {
    const user = await createUser(t);
    const { answer: create } = await createHeldByCrs(t, user, 'x');
    await db.execute(`update users set status = 'disabled' where id = '${user.id}'` as never);
    t.emulator.resume();
    expectError(await create, 503, 'upstream_unavailable');
    const made = [...t.emulator.store.keys.keys.values()].filter((k) => k.tags.includes(`portal-user:${user.id}`));
    expect(made.map((k) => k.isDeleted)).toEqual([true]);
    const rows = (await db.execute(`select 1 from api_keys where user_id = '${user.id}'` as never)) as unknown as {
      rows: unknown[];
    };
    expect(rows.rows).toEqual([]);
  });
});
