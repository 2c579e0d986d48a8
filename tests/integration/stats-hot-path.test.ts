import { describe, expect, it, vi } from 'vitest';
import { compareAnswer, comparisonBody, keyUsageAnswer } from '../../src/domain/usage/answers.js';
import { createFreshness } from '../../src/domain/usage/freshness.js';
import { resolveRange } from '../../src/domain/usage/range.js';
import { createTestApp } from '../helpers/app.js';
import { type CreatedKey, createKey } from '../helpers/keys.js';
import { authHeaders, createUser } from '../helpers/security-suite.js';

/*
 * The warm and cold paths of the hot stats reads (docs/decisions/008): what a cold comparison loads, that a warm
 * one loads nothing, and that the faster paths answer the same bytes as the ones they replace.
 */
const t = await createTestApp();
const user = await createUser(t);
const keys: CreatedKey[] = [];
for (const name of ['alpha', 'beta', 'gamma']) keys.push(await createKey(t, user, { name }));
for (const [i, k] of keys.entries()) {
  t.emulator.store.seedHistory(k.crsKeyId, { days: 20, requestsPerDay: 3 + i, seed: i + 7 });
}
await t.app.services.sync.runNow();
const db = t.deps.database.db;
const get = (url: string) => t.app.inject({ method: 'GET', url, headers: authHeaders(user) });
const compareUrl = `/api/stats/compare?keyIds=${keys.map((k) => k.id).join(',')}`;

async function statsLoads(): Promise<number> {
  const metric = await t.deps.metrics.cacheMisses.get();
  return metric.values.find((v) => v.labels.namespace === 'stats')?.value ?? 0;
}

async function crsCalls(): Promise<number> {
  const metric = await t.deps.metrics.crsRequests.get();
  return metric.values.reduce((a, v) => a + v.value, 0);
}

describe('compare', () => {
  it('a cold comparison is one cache load (the whole answer), however many keys it shows', async () => {
    await t.deps.cache.invalidateUser(user.id);
    const before = await statsLoads();
    const cold = await get(compareUrl);
    expect(cold.statusCode, cold.body).toBe(200);
    expect(cold.json().keys.map((k: { name: string }) => k.name)).toEqual(['alpha', 'beta', 'gamma']);
    expect((await statsLoads()) - before).toBe(1);
  });

  it('a warm comparison loads nothing, calls no CRS, and answers the cold answer’s bytes', async () => {
    await t.deps.cache.invalidateUser(user.id);
    const cold = await get(compareUrl);
    const [loads, calls] = [await statsLoads(), await crsCalls()];
    for (let i = 0; i < 5; i++) {
      const warm = await get(compareUrl);
      expect(warm.statusCode).toBe(200);
      expect(warm.rawPayload.equals(cold.rawPayload)).toBe(true);
      expect(warm.headers['content-type']).toBe(cold.headers['content-type']);
      expect(warm.headers['content-length']).toBe(cold.headers['content-length']);
    }
    expect(await statsLoads()).toBe(loads);
    expect(await crsCalls()).toBe(calls);
  });

  it('a comparison loaded whole is, byte for byte, its keys as each loads on its own', async () => {
    const r = resolveRange({ range: '30d' }, new Date(), t.config.crs.timezoneOffset);
    const refs = keys.map((k, i) => ({ id: k.id, name: ['alpha', 'beta', 'gamma'][i] }));
    const alone = await Promise.all(refs.map((k) => keyUsageAnswer(db, user.id, r, k)));
    // In the order asked, not the keys' order.
    const order = [2, 0, 1];
    const whole = await compareAnswer(
      db,
      user.id,
      r,
      order.map((i) => refs[i].id),
    );
    expect(whole).toBe(
      comparisonBody(
        r,
        order.map((i) => alone[i]),
      ),
    );
    // Not vacuous: the keys have different usage.
    expect(new Set(alone).size).toBe(3);
    expect(JSON.parse(alone[2]).totals.requests).toBeGreaterThan(0);
  });

  it('a key of someone else’s is 404, and leaves nothing cached', async () => {
    const other = await createUser(t);
    const foreign = await createKey(t, other);
    const url = `/api/stats/compare?keyIds=${keys[0].id},${foreign.id}`;
    const before = await statsLoads();
    for (let i = 0; i < 2; i++) expect((await get(url)).statusCode).toBe(404);
    // Both asked the database: the first answer was not kept.
    expect((await statsLoads()) - before).toBe(2);
  });
});

describe('freshness', () => {
  it('while it reloads, the last value is still answered synchronously; after a reset, nothing until loaded', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const freshness = createFreshness(t.deps);
      expect(freshness.current()).toBeUndefined();
      const first = await freshness.get();
      expect(freshness.current()).toEqual(first);
      vi.setSystemTime(Date.now() + 1500);
      // Past its second: the reload starts, and the value it replaces answers meanwhile (no promise).
      expect(freshness.current()).toEqual(first);
      const reloading = freshness.get();
      expect(await reloading).toEqual(first);
      expect(freshness.current()).toEqual(first);
      freshness.reset();
      expect(freshness.current()).toBeUndefined();
    } finally {
      vi.useRealTimers();
    }
  });
});
