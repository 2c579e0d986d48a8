import { describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.js';
import { crsAdmin } from '../helpers/crs-admin.js';
import { crsOperator } from '../helpers/crs-operator.js';
import { createKey, keyRow } from '../helpers/keys.js';
import { authHeaders, createUser } from '../helpers/security-suite.js';

/*
 * Decision 032: CRS's lifetime totals (usage-stats, a keyspace scan in CRS) are read once per
 * SYNC_TOTALS_INTERVAL (default 10 min); in between, each key's totals grow by what its daily rows grew, which
 * the per-key trend read every cycle says exactly. Cycles that need usage-stats for anything else still read it.
 */
let shift = 0;
const t = await createTestApp({ clock: () => new Date(Date.now() + shift) });
const operator = crsOperator(t.emulator);
const store = () => t.emulator.store;
const user = await createUser(t);
const [a, b] = [await createKey(t, user, { name: 'a' }), await createKey(t, user, { name: 'b' })];
store().seedHistory(a.crsKeyId, { days: 5, requestsPerDay: 6, seed: 1 });
store().seedHistory(b.crsKeyId, { days: 5, requestsPerDay: 3, seed: 2 });

const sync = async () => {
  t.emulator.resetRequestCounts();
  const report = await t.app.services.sync.runNow();
  expect(report, report?.error).toMatchObject({ ok: true });
  return { ...report!, usageStatsCalls: t.emulator.requestCount('GET /admin/usage-stats') };
};
type Totals = Record<string, number>;
const crsTotals = async () => {
  const body = await crsAdmin<{ data: { stats: Array<{ keyId: string; usage: { total: Totals } }> } }>(
    t.emulator.url,
    '/admin/usage-stats',
  );
  return new Map(body.data.stats.map((s) => [s.keyId, s.usage.total]));
};
const listed = async () =>
  (await t.app.inject({ method: 'GET', url: '/api/keys', headers: authHeaders(user) })).json().items as Array<{
    id: string;
    usage: Totals;
  }>;
const micros = (usd: number) => Math.round(usd * 1e6);

/** The key list's lifetime figures against CRS's usage-stats, to the token, request and micro-dollar. */
async function expectTotalsOfCrs(keyIds: Array<{ id: string; crsKeyId: string }>) {
  const [crs, items] = [await crsTotals(), await listed()];
  for (const k of keyIds) {
    const mine = items.find((i) => i.id === k.id)!.usage;
    const theirs = crs.get(k.crsKeyId)!;
    expect([mine.tokens, mine.requests, micros(mine.cost)]).toEqual([
      theirs.allTokens,
      theirs.requests,
      micros(theirs.cost),
    ]);
    expect(mine.inputTokens + mine.outputTokens + mine.cacheCreateTokens + mine.cacheReadTokens).toBe(mine.tokens);
  }
}

describe('lifetime totals between reads of usage-stats', () => {
  it('the first (full) cycle reads them', async () => {
    expect(await sync()).toMatchObject({ full: true, totalsRead: true, usageStatsCalls: 1 });
    await expectTotalsOfCrs([a, b]);
  });

  it('then each cycle adds the trend’s increments: equal to CRS without asking it', async () => {
    store().recordUsage(a.crsKeyId, { inputTokens: 1200, outputTokens: 300, cacheReadTokens: 5000 });
    store().recordUsage(a.crsKeyId, { model: 'claude-opus-4-1-20250805', inputTokens: 10, outputTokens: 2000 });
    store().recordUsage(b.crsKeyId, { inputTokens: 7, outputTokens: 8, cacheCreateTokens: 900 });
    const report = await sync();
    expect(report).toMatchObject({ full: false, totalsRead: false, usageStatsCalls: 0, usersChanged: 1 });
    // The daily trend, and the hourly one of issue 13's step (decision 025).
    expect(t.emulator.requestCount('GET /admin/api-keys-usage-trend')).toBe(2);
    await expectTotalsOfCrs([a, b]);
    // Nothing new: nothing written.
    expect(await sync()).toMatchObject({ totalsRead: false, keysUpdated: 0, usersChanged: 0 });
  });

  it('a key missing from the list makes the cycle read them after all, to tell deleted from live', async () => {
    await operator.softDelete(b.crsKeyId);
    expect(await sync()).toMatchObject({ totalsRead: true, usageStatsCalls: 1 });
    expect(await keyRow(t, b.id)).toMatchObject({ status: 'deleted', crsState: 'deleted' });
    await operator.restore(b.crsKeyId);
    // The restored key is back, and its history since it left must come from CRS: the next cycle reads them.
    expect(await sync()).toMatchObject({ totalsRead: false });
    store().recordUsage(b.crsKeyId, { inputTokens: 40, outputTokens: 2 });
    expect(await sync()).toMatchObject({ totalsRead: true, usageStatsCalls: 1 });
    await expectTotalsOfCrs([a, b]);
  });

  it('past SYNC_TOTALS_INTERVAL they are read again: whatever drifted is CRS’s again', async () => {
    await t.deps.database.db.execute(
      `update api_keys set input_tokens = input_tokens + 1, cache_read_tokens = cache_read_tokens - 1,
        total_cost_micros = total_cost_micros + 3 where id = '${a.id}'` as never,
    );
    expect(await sync()).toMatchObject({ totalsRead: false });
    shift = 601_000;
    expect(await sync()).toMatchObject({ totalsRead: true, usageStatsCalls: 1 });
    const mine = (await listed()).find((k) => k.id === a.id)!.usage;
    const theirs = (await crsTotals()).get(a.crsKeyId)!;
    expect([mine.inputTokens, mine.outputTokens, mine.cacheCreateTokens, mine.cacheReadTokens]).toEqual([
      theirs.inputTokens,
      theirs.outputTokens,
      theirs.cacheCreateTokens,
      theirs.cacheReadTokens,
    ]);
    expect(micros(mine.cost)).toBe(micros(theirs.cost));
  });
});
