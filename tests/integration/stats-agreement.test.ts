import { describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.js';
import { crsAdmin } from '../helpers/crs-admin.js';
import { type CreatedKey, createKey } from '../helpers/keys.js';
import { authHeaders, createUser } from '../helpers/security-suite.js';

/*
 * Issue 3's "done when": for a user with several keys over 30 days, usage / compare / leaderboard / export and the
 * key list agree with each other and with the emulator's own api-keys-usage-trend and usage-stats, to the cent and
 * the token.
 */
const t = await createTestApp();
const user = await createUser(t);
const keys: CreatedKey[] = [];
for (const name of ['laptop', 'ci', 'notebook']) keys.push(await createKey(t, user, { name }));
for (const [i, k] of keys.entries()) {
  t.emulator.store.seedHistory(k.crsKeyId, { days: 30, requestsPerDay: 3 + i * 4, seed: i + 1 });
}
// Live traffic through the relay, the way Claude Code sends it.
for (const k of keys.slice(0, 2)) {
  const res = await fetch(`${t.emulator.url}/api/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': k.secret },
    body: JSON.stringify({
      model: 'claude-opus-4-1-20250805',
      max_tokens: 512,
      messages: [{ role: 'user', content: 'hi' }],
    }),
  });
  expect(res.status).toBe(200);
}
const report = await t.app.services.sync.runNow();
const get = async (url: string) => {
  const res = await t.app.inject({ method: 'GET', url, headers: authHeaders(user) });
  expect(res.statusCode, res.body).toBe(200);
  return res;
};

type Trend = {
  data: Array<{ date: string; apiKeys: Record<string, { tokens: number; requests: number; cost: number }> }>;
};
type UsageStats = { data: { stats: Array<{ keyId: string; usage: { total: Record<string, number> } }> } };
const trend = await crsAdmin<Trend>(t.emulator.url, '/admin/api-keys-usage-trend?granularity=day&days=30');
const usageStats = await crsAdmin<UsageStats>(t.emulator.url, '/admin/usage-stats');
const micros = (usd: number) => Math.round(usd * 1e6);

/** What CRS says about the user's keys over the 30 days, per key and per day. */
function crsTruth() {
  const perKey = new Map<string, { tokens: number; requests: number; micros: number }>();
  const perDay = new Map<string, { tokens: number; requests: number; micros: number }>();
  for (const day of trend.data) {
    for (const k of keys) {
      const v = day.apiKeys[k.crsKeyId];
      if (!v) continue;
      for (const [map, id] of [
        [perKey, k.id],
        [perDay, day.date],
      ] as const) {
        const acc = map.get(id) ?? { tokens: 0, requests: 0, micros: 0 };
        acc.tokens += v.tokens;
        acc.requests += v.requests;
        acc.micros += micros(v.cost);
        map.set(id, acc);
      }
    }
  }
  return { perKey, perDay };
}

describe('numbers agree with CRS and with each other', () => {
  it('synced every key', () => {
    expect(report, report?.error).toMatchObject({ ok: true, full: true });
  });

  it('usage: totals, series and perKey equal the CRS trend and add up exactly', async () => {
    const usage = (await get('/api/stats/usage?range=30d')).json();
    const truth = crsTruth();
    expect(usage.series).toHaveLength(30);
    expect(usage.range).toMatchObject({ timezone: 'UTC+8' });
    for (const point of usage.series) {
      const crs = truth.perDay.get(point.date) ?? { tokens: 0, requests: 0, micros: 0 };
      expect([point.date, point.tokens, point.requests, micros(point.cost)]).toEqual([
        point.date,
        crs.tokens,
        crs.requests,
        crs.micros,
      ]);
    }
    const sum = (xs: Array<{ tokens: number; requests: number; cost: number }>) => ({
      tokens: xs.reduce((a, x) => a + x.tokens, 0),
      requests: xs.reduce((a, x) => a + x.requests, 0),
      micros: xs.reduce((a, x) => a + micros(x.cost), 0),
    });
    const totals = { tokens: usage.totals.tokens, requests: usage.totals.requests, micros: micros(usage.totals.cost) };
    expect(sum(usage.series)).toEqual(totals);
    expect(sum(usage.perKey)).toEqual(totals);
    expect(
      usage.totals.inputTokens +
        usage.totals.outputTokens +
        usage.totals.cacheCreateTokens +
        usage.totals.cacheReadTokens,
    ).toBe(usage.totals.tokens);
    for (const pk of usage.perKey) {
      expect({ tokens: pk.tokens, requests: pk.requests, micros: micros(pk.cost) }).toEqual(truth.perKey.get(pk.keyId));
    }
    expect(usage).toMatchObject({ stale: false, asOf: expect.any(String) });
  });

  it('compare: each key equals its perKey line of usage', async () => {
    const usage = (await get('/api/stats/usage?range=30d')).json();
    const compare = (await get(`/api/stats/compare?range=30d&keyIds=${keys.map((k) => k.id).join(',')}`)).json();
    expect(compare.keys).toHaveLength(3);
    for (const entry of compare.keys) {
      const line = usage.perKey.find((p: { keyId: string }) => p.keyId === entry.keyId);
      expect({ tokens: entry.totals.tokens, requests: entry.totals.requests, cost: entry.totals.cost }).toEqual({
        tokens: line.tokens,
        requests: line.requests,
        cost: line.cost,
      });
      expect(entry.series).toHaveLength(30);
    }
  });

  it('leaderboard and key list: lifetime totals equal CRS usage-stats', async () => {
    const board = (await get('/api/stats/leaderboard?sortBy=tokens')).json();
    const list = (await get('/api/keys')).json();
    const stats = new Map(usageStats.data.stats.map((s) => [s.keyId, s.usage.total]));
    expect(board.items.map((i: { rank: number }) => i.rank)).toEqual([1, 2, 3]);
    const tokens = board.items.map((i: { tokens: number }) => i.tokens);
    expect(tokens).toEqual([...tokens].sort((a, b) => b - a));
    for (const k of keys) {
      const crs = stats.get(k.crsKeyId)!;
      const item = board.items.find((i: { keyId: string }) => i.keyId === k.id);
      const listed = list.items.find((i: { id: string }) => i.id === k.id);
      expect([item.tokens, item.requests, micros(item.cost)]).toEqual([crs.allTokens, crs.requests, micros(crs.cost)]);
      expect(listed.usage).toMatchObject({
        tokens: crs.allTokens,
        requests: crs.requests,
        inputTokens: crs.inputTokens,
        outputTokens: crs.outputTokens,
        cacheCreateTokens: crs.cacheCreateTokens,
        cacheReadTokens: crs.cacheReadTokens,
      });
      expect(micros(listed.usage.cost)).toBe(micros(crs.cost));
    }
  });

  it('export: CSV with BOM and stable columns, rows summing to the usage totals; JSON the same', async () => {
    const usage = (await get('/api/stats/usage?range=30d')).json();
    const csv = await get('/api/stats/export?range=30d&format=csv');
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toBe(
      `attachment; filename="usage-${usage.range.from}-${usage.range.to}.csv"`,
    );
    const header =
      'date,keyId,key,model,requests,tokens,inputTokens,outputTokens,cacheCreateTokens,cacheReadTokens,cost';
    expect(csv.body.startsWith(`\uFEFF${header}\r\n`)).toBe(true);
    const rows = csv.body
      .slice(1)
      .trim()
      .split('\r\n')
      .slice(1)
      .map((l) => l.split(','));
    const col = (name: string) => header.split(',').indexOf(name);
    const sum = (name: string) => rows.reduce((a, r) => a + Number(r[col(name)]), 0);
    expect(sum('tokens')).toBe(usage.totals.tokens);
    expect(sum('requests')).toBe(usage.totals.requests);
    expect(rows.reduce((a, r) => a + micros(Number(r[col('cost')])), 0)).toBe(micros(usage.totals.cost));
    for (const split of ['inputTokens', 'outputTokens', 'cacheCreateTokens', 'cacheReadTokens']) {
      expect(sum(split)).toBe(usage.totals[split]);
    }
    // Every row: its key's id and name, its split adding up to its tokens.
    for (const r of rows) {
      expect(keys.some((k) => k.id === r[col('keyId')])).toBe(true);
      const parts = ['inputTokens', 'outputTokens', 'cacheCreateTokens', 'cacheReadTokens'].map((c) =>
        Number(r[col(c)]),
      );
      expect(parts.reduce((a, b) => a + b, 0)).toBe(Number(r[col('tokens')]));
    }
    const json = (await get('/api/stats/export?range=30d&format=json')).json();
    expect(json.columns).toEqual(header.split(','));
    expect(json.rows).toHaveLength(rows.length);
    // The same rows, the same columns, in the same order.
    json.rows.forEach((r: Record<string, unknown>, i: number) => {
      expect(Object.keys(r)).toEqual(json.columns);
      expect(json.columns.map((c: string) => (r[c] === null ? '' : String(r[c])))).toEqual(rows[i]);
    });
  });

  it('per-key models and requests come from CRS and match its numbers', async () => {
    const k = keys[0];
    const requests = (await get(`/api/keys/${k.id}/requests`)).json();
    expect(requests.items.length).toBeGreaterThan(0);
    expect(requests.items[0]).toMatchObject({ model: 'claude-opus-4-1-20250805', outputTokens: 512 });
    const models = (await get(`/api/keys/${k.id}/models?range=30d`)).json();
    const sum = models.items.reduce((a: number, m: { tokens: number }) => a + m.tokens, 0);
    expect(sum).toBe(crsTruth().perKey.get(k.id)!.tokens);
  });
});
