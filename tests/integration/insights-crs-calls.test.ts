import { describe, expect, it } from 'vitest';
import { asSums, insightsWorld, type Json } from '../helpers/insights-world.js';
import { createUser } from '../helpers/security-suite.js';

/*
 * Issue 13, "done when": browsing the new views adds zero CRS calls — the meters, the spend summary, the hourly
 * view, the statement, ranged leaderboards and comparisons, the export — cold (from the database) and warm (from
 * the cache). And the leaderboard takes a range like usage, and says its period.
 */
const w = await insightsWorld();
const admin = await createUser(w.t, { role: 'admin' });
const [a, b] = w.keys;
const VIEWS = [
  '/api/keys',
  `/api/keys/${a.id}`,
  '/api/stats/summary',
  '/api/stats/summary?range=7d',
  '/api/stats/usage?granularity=hour&range=7d',
  `/api/stats/usage?granularity=hour&range=7d&keyId=${b.id}`,
  '/api/stats/statement',
  '/api/stats/statement?month=2026-02',
  '/api/stats/leaderboard?range=30d',
  '/api/stats/leaderboard?from=2026-03-01&to=2026-03-20&sortBy=cost',
  `/api/stats/compare?keyIds=${a.id},${b.id}&range=7d`,
  '/api/stats/export?range=30d&format=json',
];

describe('CRS calls while browsing the new views', () => {
  it('none, cold and warm', async () => {
    await w.t.deps.cache.invalidateUser(w.user.id);
    w.emulator.resetRequestCounts();
    for (let round = 0; round < 2; round++) {
      for (const url of VIEWS) expect((await w.get(url)).statusCode, url).toBe(200);
      expect((await w.get('/api/admin/statements?month=2026-03&format=csv', admin)).statusCode).toBe(200);
    }
    expect(w.emulator.requestCounts()).toEqual({});
  });
});

describe('GET /api/stats/leaderboard with a range', () => {
  it('ranks by the usage of the range and says so; without one, lifetime as before', async () => {
    const ranged: Json = (await w.get('/api/stats/leaderboard?range=7d&sortBy=tokens')).json();
    expect(ranged.period).toBe('range');
    expect(ranged.range).toEqual({ from: '2026-03-14', to: '2026-03-20', timezone: 'UTC+8' });
    const usage: Json = (await w.get('/api/stats/usage?range=7d')).json();
    const expected = [...usage.perKey].sort((x: Json, y: Json) => y.tokens - x.tokens);
    expect(ranged.items.map((i: Json) => [i.keyId, i.tokens, i.requests, i.cost])).toEqual(
      expected.map((k: Json) => [k.keyId, k.tokens, k.requests, k.cost]),
    );
    const lifetime: Json = (await w.get('/api/stats/leaderboard')).json();
    expect(lifetime).toMatchObject({ period: 'lifetime', range: null });
    const all: Json = (await w.get('/api/stats/leaderboard?scope=all&range=7d', admin)).json();
    expect(all.items.every((i: Json) => typeof i.owner === 'string')).toBe(true);
    expect(all.items.reduce((s: number, i: Json) => s + i.tokens, 0)).toBe(usage.totals.tokens);
  });

  it('compare says its period, and its keys add up to usage of the same range', async () => {
    const cmp: Json = (await w.get(`/api/stats/compare?keyIds=${a.id},${b.id}&from=2026-03-01&to=2026-03-20`)).json();
    expect(cmp.range).toEqual({ from: '2026-03-01', to: '2026-03-20', timezone: 'UTC+8' });
    for (const k of cmp.keys) {
      const one: Json = (await w.get(`/api/stats/usage?from=2026-03-01&to=2026-03-20&keyId=${k.keyId}`)).json();
      expect(asSums(k.totals)).toEqual(asSums(one.totals));
    }
  });
});
