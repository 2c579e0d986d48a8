import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { markerOf } from '../../src/domain/keys/crs-fields.js';
import { settle } from '../../src/jobs/sync/settle.js';
import { createTestApp } from '../helpers/app.js';
import { crsOperator } from '../helpers/crs-operator.js';
import { createHeldByCrs, createKey } from '../helpers/keys.js';
import { authHeaders, createUser, expectError } from '../helpers/security-suite.js';

/**
 * Points 6, 7 and 8 of issue 9: a create holds no pool connection across its CRS call, and one whose outcome is
 * unknown is settled through its marker: soft-deleted if never delivered, never a key without the marker.
 * CRS_TIMEOUT_MS above the pool's 3 s connection wait: a create holding a connection would starve the reads.
 */
let offsetMs = 0;
const t = await createTestApp({ env: { CRS_TIMEOUT_MS: '4000' }, clock: () => new Date(Date.now() + offsetMs) });
const operator = crsOperator(t.emulator);
const store = () => t.emulator.store;
const db = t.deps.database.db;
const sync = async () => {
  const r = await t.app.services.sync.runNow();
  expect(r, r?.error).toMatchObject({ ok: true });
};
const rowsOf = async <T>(q: string) => ((await db.execute(q as never)) as unknown as { rows: T[] }).rows;
const portalCrsIds = async () =>
  new Set((await rowsOf<{ id: string }>('select crs_key_id as id from api_keys')).map((r) => r.id));
/** CRS keys carrying a portal marker that are live and not in the portal's database: orphans. */
const liveOrphans = async () => {
  const known = await portalCrsIds();
  return [...store().keys.keys.values()].filter((k) => markerOf(k.description) && !k.isDeleted && !known.has(k.id));
};
const pastDeadlines = () => {
  offsetMs += 120_000;
};

describe('creates against a hung CRS', () => {
  it('12 parallel creates hold no connection: reads keep answering; resumed, no live orphan after one sync', async () => {
    const user = await createUser(t);
    await db.execute(`update users set max_keys = 50 where id = '${user.id}'` as never);
    await createKey(t, user, { name: 'existing' });
    await sync();
    t.emulator.resetRequestCounts();
    t.emulator.pause();
    const creates = Array.from({ length: 12 }, (_, i) =>
      t.app.inject({ method: 'POST', url: '/api/keys', headers: authHeaders(user), payload: { name: `hung-${i}` } }),
    );
    while (t.emulator.requestCount('POST /admin/api-keys') < 12) await new Promise((r) => setTimeout(r, 20));

    // Every create is waiting on CRS now. Reads that need the database still answer, one after another.
    for (let i = 0; i < 10; i++) {
      const [usage, keys] = await Promise.all([
        t.app.inject({
          method: 'GET',
          url: '/api/stats/usage?range=7d',
          headers: authHeaders(user),
        }),
        t.app.inject({ method: 'GET', url: `/api/keys?search=x${i}`, headers: authHeaders(user) }),
      ]);
      expect([usage.statusCode, keys.statusCode], keys.body).toEqual([200, 200]);
    }
    const pending = await rowsOf<{ n: number }>(`select count(*)::int as n from key_creates where status = 'pending'`);
    expect(pending[0].n).toBe(12);

    for (const res of await Promise.all(creates)) {
      expectError(res, 503, 'upstream_unavailable');
      expect(res.body).not.toContain('cr_');
    }
    t.emulator.resume(); // CRS finishes the 12 creates its clients gave up on (quirk 17)
    await new Promise((r) => setTimeout(r, 300)); // the client's circuit breaker probes again
    expect(await liveOrphans()).toHaveLength(12);

    pastDeadlines();
    await sync();
    expect(await liveOrphans()).toEqual([]);
    const made = [...store().keys.keys.values()].filter((k) => k.name.startsWith('hung-'));
    expect(made).toHaveLength(12);
    expect(made.every((k) => k.isDeleted)).toBe(true);
    expect(t.emulator.requestCount('DELETE /admin/api-keys/:id/permanent')).toBe(0);
    const list = await t.app.inject({ method: 'GET', url: '/api/keys?status=all', headers: authHeaders(user) });
    expect(list.json().items.map((k: { name: string }) => k.name)).toEqual(['existing']);
    expect(
      (await rowsOf<{ n: number }>(`select count(*)::int as n from audit_log where action = 'key.create_settled'`))[0]
        .n,
    ).toBe(12);
  });
});

describe('settlement', () => {
  it('leaves a create in flight alone until its deadline, then soft-deletes what it made', async () => {
    const user = await createUser(t);
    const marker = randomUUID();
    const now = new Date(Date.now() + offsetMs);
    await db.execute(
      `insert into key_creates (id, user_id, name, status, created_at, deadline)
       values ('${marker}', '${user.id}', 'in-flight', 'pending', '${now.toISOString()}', '${new Date(now.getTime() + 30_000).toISOString()}')` as never,
    );
    const { id } = store().createKey({
      name: 'in-flight',
      description: `my key [kp:${marker}]`,
      tags: ['portal', `portal-user:${user.id}`],
    });
    await sync();
    expect(store().getKey(id)!.isDeleted).toBeUndefined();
    pastDeadlines();
    await sync();
    expect(store().getKey(id)!.isDeleted).toBe(true);
    expect(
      (
        await rowsOf<{ status: string; crs_key_id: string }>(
          `select status, crs_key_id from key_creates where id = '${marker}'`,
        )
      )[0],
    ).toEqual({
      status: 'abandoned',
      crs_key_id: id,
    });
  });

  it('when the sync gives a slow create up first, the request answers 503 and never delivers the key', async () => {
    const user = await createUser(t);
    const { answer: create } = await createHeldByCrs(t, user, 'late');
    // The sync's settlement step runs while CRS still holds the create: past its deadline, it is given up.
    pastDeadlines();
    await settle(t.deps, { marked: [], suspended: [] });
    t.emulator.resume(); // CRS answers within the client's timeout: too late, the create is no longer pending
    const res = await create;
    expectError(res, 503, 'upstream_unavailable');
    expect(res.body).not.toContain('cr_');
    await sync();
    const late = [...store().keys.keys.values()].find((k) => k.name === 'late')!;
    expect(late.isDeleted).toBe(true);
    expect(await portalCrsIds()).not.toContain(late.id);
  });
});

describe('keys the portal did not make', () => {
  it('an operator’s key tagged for one of our users is adopted and never deleted; others are left alone', async () => {
    const user = await createUser(t);
    const made = await operator.create({
      name: 'made-by-ops',
      description: 'for alice, by ops',
      tags: ['portal', `portal-user:${user.id}`],
      dailyCostLimit: 3,
    });
    store().recordUsage(made.id, { inputTokens: 100, outputTokens: 50 });
    const foreign = await operator.create({ name: 'other-portal', tags: ['portal', `portal-user:${randomUUID()}`] });
    const unknownMarker = await operator.create({
      name: 'unknown-marker',
      description: `x [kp:${randomUUID()}]`,
      tags: ['portal', `portal-user:${user.id}`],
    });
    for (let i = 0; i < 3; i++) {
      pastDeadlines();
      await sync();
    }
    for (const id of [made.id, foreign.id, unknownMarker.id]) expect(store().getKey(id)!.isDeleted).toBeUndefined();
    const keys = (await t.app.inject({ method: 'GET', url: '/api/keys', headers: authHeaders(user) })).json().items;
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({
      name: 'made-by-ops',
      description: 'for alice, by ops',
      origin: 'operator',
      maskedKey: 'cr_…',
      status: 'active',
      limits: { dailyCostLimit: 3 },
      usage: { requests: 1, tokens: 150 },
    });
    const ids = await portalCrsIds();
    expect(ids.has(foreign.id) || ids.has(unknownMarker.id)).toBe(false);
    expect(t.emulator.requestCount('DELETE /admin/api-keys/:id/permanent')).toBe(0);
  });
});
