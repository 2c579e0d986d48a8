import { asc, sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { HAIKU, OPUS, SONNET, startEmulator } from '../../src/crs-emulator/index.js';
import { apiKeys, usageDaily } from '../../src/infra/db/schema.js';
import { createTestApp } from '../helpers/app.js';
import { createKey } from '../helpers/keys.js';
import { authHeaders, createUser } from '../helpers/security-suite.js';
import { RedisServer } from '../support/redis-server.js';

/*
 * Issue 16's "the two must agree to the token and the cent": two instances of one portal (one database, one
 * CRS) — one reading usage through CRS's admin API, one through CRS's Redis (CRS_REDIS_URL, decision 022) —
 * run the same sync over the same CRS, and the rows each leaves in the database are the same. CRS holds several
 * users' keys with 35 days of history on three models with cache tokens, a disabled key, one deleted through
 * the portal, one deleted by the operator in CRS, relay traffic of today and a key that is not the portal's.
 */
const NOW = Date.now();
const DAY = 86_400_000;
const crsRedis = await RedisServer.start();
const emulator = await startEmulator({ latency: 'fast', clock: () => NOW, redisUrl: crsRedis.url });
const clock = () => new Date(NOW);
// Both sources are compared on both bulk reads every cycle: lifetime totals read each time (decision 032's
// SYNC_TOTALS_INTERVAL=0), so that a cycle's totals come from the source under test.
const everyCycle = { SYNC_TOTALS_INTERVAL: '0' };
const viaApi = await createTestApp({ emulator, clock, env: everyCycle });
const viaRedis = await createTestApp({
  emulator,
  clock,
  databaseUrl: viaApi.databaseUrl,
  env: { ...everyCycle, CRS_REDIS_URL: crsRedis.url },
});
afterAll(async () => {
  await emulator.close();
  await crsRedis.stop();
});

const store = emulator.store;
const [alice, bob] = [await createUser(viaApi), await createUser(viaApi)];
const keys = {
  seeded: await createKey(viaApi, alice, { name: 'seeded' }),
  disabled: await createKey(viaApi, alice, { name: 'disabled' }),
  deleted: await createKey(viaApi, alice, { name: 'deleted' }),
  operatorDeleted: await createKey(viaApi, bob, { name: 'operator-deleted' }),
  live: await createKey(viaApi, bob, { name: 'live' }),
  idle: await createKey(viaApi, bob, { name: 'idle' }),
};
for (const [i, k] of [keys.seeded, keys.disabled, keys.deleted, keys.operatorDeleted].entries()) {
  store.seedHistory(k.crsKeyId, { days: 35, requestsPerDay: 5 + 4 * i, seed: 100 + i });
}
const outsider = store.createKey({ name: 'not-the-portals', tags: ['team'] }).id;
store.seedHistory(outsider, { days: 10, requestsPerDay: 20, seed: 7 });
for (const [model, daysAgo] of [
  [OPUS, 0],
  [HAIKU, 1],
  [SONNET, 1],
] as const) {
  store.recordUsage(keys.live.crsKeyId, {
    model,
    inputTokens: 2100,
    outputTokens: 900,
    cacheCreateTokens: 4000,
    cacheReadTokens: 30_000,
    timestamp: NOW - daysAgo * DAY - 60_000,
  });
}
const relayed = await fetch(`${emulator.url}/api/v1/messages`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', 'x-api-key': keys.live.secret },
  body: JSON.stringify({ model: SONNET, max_tokens: 300, messages: [{ role: 'user', content: 'hello' }] }),
});
const patch = (id: string, payload: object) =>
  viaApi.app.inject({ method: 'PATCH', url: `/api/keys/${id}`, headers: authHeaders(alice), payload });
const disabled = await patch(keys.disabled.id, { status: 'disabled' });
const deleted = await viaApi.app.inject({
  method: 'DELETE',
  url: `/api/keys/${keys.deleted.id}`,
  headers: authHeaders(alice),
});
store.keys.softDelete(store.getKey(keys.operatorDeleted.crsKeyId)!, 'admin');
await emulator.flushRedis();

const db = viaApi.deps.database.db;

/** What a sync leaves: every key's lifetime figures and state, every daily row. */
async function rows() {
  const keyRows = await db
    .select({
      id: apiKeys.id,
      status: apiKeys.status,
      crsState: apiKeys.crsState,
      totalRequests: apiKeys.totalRequests,
      totalTokens: apiKeys.totalTokens,
      inputTokens: apiKeys.inputTokens,
      outputTokens: apiKeys.outputTokens,
      cacheCreateTokens: apiKeys.cacheCreateTokens,
      cacheReadTokens: apiKeys.cacheReadTokens,
      totalCostMicros: apiKeys.totalCostMicros,
    })
    .from(apiKeys)
    .orderBy(asc(apiKeys.id));
  const daily = await db.select().from(usageDaily).orderBy(asc(usageDaily.apiKeyId), asc(usageDaily.day));
  return { keyRows, daily };
}

/** Forgets the usage a sync wrote, so that the next one writes all of it again. */
async function forgetUsage() {
  await db.delete(usageDaily);
  await db.execute(
    sql`update api_keys set total_requests = 0, total_tokens = 0, input_tokens = 0, output_tokens = 0,
        cache_create_tokens = 0, cache_read_tokens = 0, total_cost_micros = 0`,
  );
}

async function syncVia(t: typeof viaApi, full: boolean) {
  emulator.resetRequestCounts();
  const report = await t.app.services.sync.runNow({ full });
  expect(report, report?.error).toMatchObject({ ok: true, full });
  return {
    ...(await rows()),
    adminReads:
      emulator.requestCount('GET /admin/usage-stats') + emulator.requestCount('GET /admin/api-keys-usage-trend'),
  };
}

describe('the sync through CRS’s Redis equals the sync through the admin API', () => {
  it('set up the CRS the two read', () => {
    expect([relayed.status, disabled.statusCode, deleted.statusCode]).toEqual([200, 200, 204]);
  });

  for (const full of [true, false]) {
    it(`leaves the same rows, to the token and the micro-dollar (${full ? '31 days' : '2 days'})`, async () => {
      await forgetUsage();
      const direct = await syncVia(viaRedis, full);
      await forgetUsage();
      const api = await syncVia(viaApi, full);
      // The Redis instance asked the admin API for neither bulk read; the other one for both. Both read the hourly
      // trend (the same endpoint) through the admin API: 7 days of 24 h calls on a full run, one call otherwise.
      const hourly = full ? 7 : 1;
      expect([direct.adminReads, api.adminReads]).toEqual([hourly, 2 + hourly]);
      expect(direct.keyRows).toEqual(api.keyRows);
      expect(direct.daily).toEqual(api.daily);

      // Not a vacuous agreement: many days of several keys, cache tokens, costs, and the deleted keys' states.
      const days = new Set(api.daily.map((d) => d.day));
      expect(days.size).toBe(full ? 31 : 2);
      expect(new Set(api.daily.map((d) => d.apiKeyId)).size).toBe(3);
      expect(
        api.daily.every((d) => d.tokens === d.inputTokens + d.outputTokens + d.cacheCreateTokens + d.cacheReadTokens),
      ).toBe(true);
      expect(api.daily.some((d) => d.cacheReadTokens > 0 && d.costMicros > 0)).toBe(true);
      const byId = new Map(api.keyRows.map((k) => [k.id, k]));
      expect(byId.get(keys.disabled.id)).toMatchObject({ status: 'disabled' });
      expect(byId.get(keys.seeded.id)?.totalCostMicros).toBeGreaterThan(0);
      expect(byId.get(keys.live.id)?.cacheReadTokens).toBe(90_000);
    });
  }

  it('counted both direct reads of each cycle as ok, none as a fallback', async () => {
    const text = await viaRedis.deps.metrics.registry.metrics();
    expect(text).toContain('kp_crs_direct_reads_total{call="usageStats",outcome="ok"} 2');
    expect(text).toContain('kp_crs_direct_reads_total{call="keysUsageTrend",outcome="ok"} 2');
    expect(text).not.toContain('outcome="fallback"');
  });
});
