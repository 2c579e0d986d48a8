import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { apiKeys, usageDaily } from '../../src/infra/db/schema.js';
import { createTestApp } from '../helpers/app.js';
import { createKey } from '../helpers/keys.js';
import { authHeaders, createUser } from '../helpers/security-suite.js';

/*
 * GET /api/me/summary (issue 13.6): today's and this month's spend in CRS days, equal to the sum of the daily rows,
 * and each key's limit usage (the minimal stand-in: daily and total cost, docs/decisions/026).
 */
// 2026-11-20 02:00 UTC is 10:00 on 2026-11-20 in CRS's UTC+8.
const now = Date.parse('2026-11-20T02:00:00Z');
const t = await createTestApp({ clock: () => new Date(now) });
const db = t.deps.database.db;

const row = (apiKeyId: string, userId: string, day: string, requests: number, tokens: number, costMicros: number) => ({
  apiKeyId,
  userId,
  day,
  requests,
  tokens,
  inputTokens: tokens,
  costMicros,
});

describe('GET /api/me/summary', () => {
  it('sums today and this month from the daily rows, and gives each key its limit meters', async () => {
    const u = await createUser(t);
    const a = await createKey(t, u, { name: 'alpha', limits: { dailyCostLimit: 5, totalCostLimit: 100 } });
    const b = await createKey(t, u, { name: 'beta' });
    await db.insert(usageDaily).values([
      row(a.id, u.id, '2026-11-20', 3, 300, 1_250_000),
      row(b.id, u.id, '2026-11-20', 1, 100, 250_000),
      row(a.id, u.id, '2026-11-02', 10, 1000, 4_000_000),
      row(a.id, u.id, '2026-10-31', 99, 9900, 9_000_000), // last month: in neither figure
    ]);
    await db.update(apiKeys).set({ totalCostMicros: 14_250_000 }).where(eq(apiKeys.id, a.id));
    const res = await t.app.inject({ method: 'GET', url: '/api/me/summary', headers: authHeaders(u) });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.timezone).toBe('UTC+8');
    expect(body.today).toEqual({ requests: 4, tokens: 400, cost: 1.5 });
    expect(body.month).toEqual({ requests: 14, tokens: 1400, cost: 5.5 });
    expect(body.keys).toEqual([
      {
        id: a.id,
        name: 'alpha',
        status: 'active',
        limitUsage: [
          { kind: 'daily_cost', used: 1.25, limit: 5, resetsAt: '2026-11-20T16:00:00.000Z', asOf: null },
          { kind: 'total_cost', used: 14.25, limit: 100, resetsAt: null, asOf: null },
        ],
      },
      { id: b.id, name: 'beta', status: 'active', limitUsage: [] },
    ]);
    expect(body).toHaveProperty('asOf');
    expect(body).toHaveProperty('stale');
  });

  it('answers a repeated read from the cache, and a key write drops it', async () => {
    const u = await createUser(t);
    await createKey(t, u, { name: 'one' });
    const get = () => t.app.inject({ method: 'GET', url: '/api/me/summary', headers: authHeaders(u) });
    const first = await get();
    const hits = t.deps.cache.counters().stats.hits;
    const second = await get();
    expect(second.body).toBe(first.body);
    expect(t.deps.cache.counters().stats.hits).toBe(hits + 1);
    await createKey(t, u, { name: 'two' });
    expect((await get()).json().keys.map((k: { name: string }) => k.name)).toEqual(['one', 'two']);
  });
});
