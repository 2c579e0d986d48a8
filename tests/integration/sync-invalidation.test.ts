import { describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.js';
import { createKey } from '../helpers/keys.js';
import { authHeaders, createUser } from '../helpers/security-suite.js';

const t = await createTestApp();
const [alice, bob] = [await createUser(t), await createUser(t)];
const [aKey, bKey] = [await createKey(t, alice), await createKey(t, bob)];
t.emulator.store.seedHistory(aKey.crsKeyId, { days: 5, requestsPerDay: 4, seed: 1 });
t.emulator.store.seedHistory(bKey.crsKeyId, { days: 5, requestsPerDay: 4, seed: 2 });
await t.app.services.sync.runNow();

const usage = (u: { token: string }) =>
  t.app.inject({ method: 'GET', url: '/api/stats/usage?range=30d', headers: authHeaders(u) });
const misses = () => t.deps.cache.counters().stats.misses;

describe('after a sync', () => {
  it('drops and re-warms exactly the users whose numbers changed', async () => {
    const [a0, b0] = [(await usage(alice)).json(), (await usage(bob)).json()];
    // Only Alice uses her key now.
    t.emulator.store.recordUsage(aKey.crsKeyId, { inputTokens: 1000, outputTokens: 500 });
    const report = await t.app.services.sync.runNow();
    expect(report).toMatchObject({ ok: true, usersChanged: 1 });

    const before = misses();
    const [a1, b1] = [(await usage(alice)).json(), (await usage(bob)).json()];
    // Alice's view was warmed by the sync (a hit, with the new numbers); Bob's entry was never dropped.
    expect(misses()).toBe(before);
    expect(a1.totals.tokens).toBe(a0.totals.tokens + 1500);
    expect(a1.totals.requests).toBe(a0.totals.requests + 1);
    expect(b1.totals).toEqual(b0.totals);
  });

  it('500 concurrent identical cold requests cause one load', async () => {
    await t.deps.cache.invalidateNamespace('stats');
    const before = misses();
    const answers = await Promise.all(Array.from({ length: 500 }, () => usage(alice)));
    expect(answers.every((r) => r.statusCode === 200)).toBe(true);
    expect(new Set(answers.map((r) => r.body)).size).toBe(1);
    expect(misses() - before).toBe(1);
  });
});
