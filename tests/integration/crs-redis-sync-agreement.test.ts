import { asc, sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { HAIKU, OPUS, SONNET, startEmulator } from '../../src/crs-emulator/index.js';
import { apiKeys, usageDaily, usageDailyModel, usageHourly } from '../../src/infra/db/schema.js';
import { createTestApp } from '../helpers/app.js';
import { createKey } from '../helpers/keys.js';
import { authHeaders, createUser } from '../helpers/security-suite.js';
import { RedisServer } from '../support/redis-server.js';

/*
 * Issue 16's "the two must agree to the token and the cent": two instances of one portal (one database, one
 * CRS) — one reading CRS through its admin API, one through CRS's Redis (CRS_REDIS_URL, decisions 022, 037) —
 * run the same sync over the same CRS, and the rows each leaves in the database are the same: the keys as listed
 * (names, limits, blocked models, expiry, states), lifetime totals, daily rows, hourly rows, per-model rows. CRS
 * holds several users' keys with 35 days of history on three models with cache tokens, a disabled key, one
 * deleted through the portal, one deleted by the operator in CRS, one the operator renamed and limited, relay
 * traffic of today and a key that is not the portal's.
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
// The operator's edits in CRS, which each sync copies (docs/decisions/011).
const operatorEdits = {
  name: 'renamed by the operator',
  dailyCostLimit: 7.5,
  enableModelRestriction: true,
  restrictedModels: [OPUS],
};
store.keys.update(store.getKey(keys.idle.crsKeyId)!, operatorEdits);
await emulator.flushRedis();

const db = viaApi.deps.database.db;

/** What a sync leaves: every key as listed, its lifetime figures and state; every daily, hourly and model row. */
async function rows() {
  const keyRows = await db
    .select({
      id: apiKeys.id,
      name: apiKeys.name,
      limits: apiKeys.limits,
      models: apiKeys.models,
      expiresAt: apiKeys.expiresAt,
      lastUsedAt: apiKeys.lastUsedAt,
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
  const hourly = await db.select().from(usageHourly).orderBy(asc(usageHourly.apiKeyId), asc(usageHourly.hour));
  const models = await db
    .select()
    .from(usageDailyModel)
    .orderBy(asc(usageDailyModel.apiKeyId), asc(usageDailyModel.day), asc(usageDailyModel.model));
  return { keyRows, daily, hourly, models };
}

/**
 * Forgets what a sync wrote, so that the next one writes all of it again: usage, the hourly and model reads'
 * progress, and the operator's edits (the name and limits the portal had before them).
 */
async function forgetUsage() {
  await db.delete(usageDaily);
  await db.delete(usageHourly);
  await db.delete(usageDailyModel);
  await db.execute(sql`delete from key_crs_reads`);
  await db.execute(sql`delete from portal_settings where name like 'sync.%'`);
  await db.execute(
    sql`update api_keys set total_requests = 0, total_tokens = 0, input_tokens = 0, output_tokens = 0,
        cache_create_tokens = 0, cache_read_tokens = 0, total_cost_micros = 0, last_used_at = null`,
  );
  await db.execute(sql`update api_keys set name = 'idle', limits = '{}'::jsonb, models = '[]'::jsonb
    where id = ${keys.idle.id}`);
}

async function syncVia(t: typeof viaApi, full: boolean) {
  emulator.resetRequestCounts();
  const report = await t.app.services.sync.runNow({ full });
  expect(report, report?.error).toMatchObject({ ok: true, full });
  return {
    ...(await rows()),
    adminReads: Object.fromEntries(
      ['/admin/api-keys', '/admin/usage-stats', '/admin/api-keys-usage-trend', '/admin/api-keys/:id/model-stats'].map(
        (r) => [r, emulator.requestCount(`GET ${r}`)],
      ),
    ),
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
      // The Redis instance asked the admin API only for its count of the tagged keys (one small page); the other
      // one read the list, usage-stats, the daily trend, the hourly trend (what CRS keeps, 7 days in 24 h calls: the
      // hourly read's progress was forgotten) and each used key's models of today and yesterday.
      expect(direct.adminReads).toEqual({
        '/admin/api-keys': 1,
        '/admin/usage-stats': 0,
        '/admin/api-keys-usage-trend': 0,
        '/admin/api-keys/:id/model-stats': 0,
      });
      expect(api.adminReads['/admin/api-keys']).toBe(1);
      expect(api.adminReads['/admin/usage-stats']).toBe(1);
      expect(api.adminReads['/admin/api-keys-usage-trend']).toBe(1 + 7);
      expect(api.adminReads['/admin/api-keys/:id/model-stats']).toBeGreaterThanOrEqual(3);
      expect(direct.keyRows).toEqual(api.keyRows);
      expect(direct.daily).toEqual(api.daily);
      expect(direct.hourly).toEqual(api.hourly);
      expect(direct.models).toEqual(api.models);

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
      expect(byId.get(keys.idle.id)).toMatchObject({
        name: operatorEdits.name,
        limits: expect.objectContaining({ dailyCostLimit: 7.5 }),
        models: [OPUS],
      });
      expect(api.hourly.length).toBeGreaterThan(0);
      expect(new Set(api.models.map((m) => m.model))).toEqual(new Set([OPUS, HAIKU, SONNET]));
    });
  }

  it('counted both direct reads of each cycle as ok, none as a fallback', async () => {
    const text = await viaRedis.deps.metrics.registry.metrics();
    expect(text).toContain('kp_crs_direct_reads_total{call="usageStats",outcome="ok"} 2');
    expect(text).toContain('kp_crs_direct_reads_total{call="keysUsageTrend",outcome="ok"} 2');
    expect(text).toContain('kp_crs_direct_reads_total{call="keyList",outcome="ok"} 2');
    expect(text).toMatch(/kp_crs_direct_reads_total\{call="keysHourlyTrend",outcome="ok"\} [1-9]/);
    expect(text).toMatch(/kp_crs_direct_reads_total\{call="keyModelStats",outcome="ok"\} [1-9]/);
    expect(text).not.toContain('outcome="fallback"');
  });
});
