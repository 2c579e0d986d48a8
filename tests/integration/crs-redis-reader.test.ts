import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/crs-emulator/index.js';
import type { CrsClient, CrsKeyUsage, CrsTrendEntry } from '../../src/infra/crs/types.js';
import { createMetrics, type Metrics } from '../../src/infra/metrics/metrics.js';
import { startCrsRedisWorld } from '../helpers/crs-redis-fixture.js';
import { RedisServer } from '../support/redis-server.js';

/*
 * The direct reader of CRS's Redis (docs/decisions/022) against the emulator in Redis mode: the same answers as
 * the admin API to the token and the micro-dollar, through a Redis user that may only read (no KEYS, no SCAN),
 * and the admin API as the fallback whenever Redis cannot answer.
 */
let w: Awaited<ReturnType<typeof startCrsRedisWorld>>;
let admin: Redis;
let emu: Emulator;
let api: CrsClient;
let logLines: string[];
const direct = (url: string, metrics?: Metrics) => w.direct(url, metrics);
const readerUrl = () => w.readerUrl();

beforeAll(async () => {
  w = await startCrsRedisWorld();
  ({ admin, emu, api, logLines } = w);
});
afterAll(() => w.close());

/**
 * Sorted by key, costs in micro-dollars: CRS keeps a lifetime cost as an INCRBYFLOAT string, which the admin API
 * reads back as it is — the reader too — while the emulator's admin API sums JavaScript floats: the two differ
 * in the 16th digit, never in the micro-dollar the portal stores (docs/decisions/001).
 */
const byKey = (xs: CrsKeyUsage[]) =>
  [...xs]
    .sort((a, b) => a.keyId.localeCompare(b.keyId))
    .map((u) => ({ ...u, total: { ...u.total, cost: Math.round(u.total.cost * 1e6) } }));
const byDayKey = (xs: CrsTrendEntry[]) =>
  [...xs].sort((a, b) => a.date.localeCompare(b.date) || a.keyId.localeCompare(b.keyId));
async function trend(crs: CrsClient, days: number): Promise<CrsTrendEntry[]> {
  const out: CrsTrendEntry[] = [];
  await crs.keysUsageTrend(days, (entries) => void out.push(...entries));
  return byDayKey(out);
}

describe('the direct reader of CRS’s Redis', () => {
  it('answers usage-stats exactly as the admin API: every non-deleted key, to the token and the micro-dollar', async () => {
    const fromApi = byKey(await api.usageStats());
    emu.resetRequestCounts();
    const fromRedis = byKey(await direct(readerUrl()).usageStats());
    expect(emu.requestCount('GET /admin/usage-stats')).toBe(0);
    expect(fromRedis).toEqual(fromApi);
    // Four non-deleted keys (the idle one with zeros), cache tokens and cost in them.
    expect(fromApi).toHaveLength(4);
    expect(
      fromApi.every(
        (u) =>
          u.total.tokens ===
          u.total.inputTokens + u.total.outputTokens + u.total.cacheCreateTokens + u.total.cacheReadTokens,
      ),
    ).toBe(true);
    expect(fromApi.filter((u) => u.total.cacheReadTokens > 0 && u.total.cost > 0)).toHaveLength(3);
  });

  it('answers the per-key daily trend exactly as the admin API, for 2 and 31 days', async () => {
    const reader = direct(readerUrl());
    for (const days of [2, 31]) {
      const fromApi = await trend(api, days);
      emu.resetRequestCounts();
      const fromRedis = await trend(reader, days);
      expect(emu.requestCount('GET /admin/api-keys-usage-trend')).toBe(0);
      expect(fromRedis).toEqual(fromApi);
      expect(new Set(fromApi.map((e) => e.date)).size).toBe(days);
    }
    // The 31-day answer holds the disabled key and not the deleted ones; costs are stored micro-dollars.
    const month = await trend(api, 31);
    const keys = new Set(month.map((e) => e.keyId));
    expect(keys.size).toBe(3);
    expect(month.every((e) => Number.isInteger(Math.round(e.cost * 1e6)) && e.tokens > 0)).toBe(true);
  });

  it('never writes, nor walks the keyspace: the reader’s Redis user may only read, without KEYS and SCAN', async () => {
    // The ACL is real: this user cannot write nor scan, nor read outside CRS's key and usage names…
    const reader = new Redis(readerUrl());
    await expect(reader.set('usage:x', '1')).rejects.toThrow(/NOPERM/);
    await expect(reader.get('session:admin_credentials')).rejects.toThrow(/NOPERM/);
    await expect(reader.scan('0')).rejects.toThrow(/NOPERM/);
    await expect(reader.keys('*')).rejects.toThrow(/NOPERM/);
    reader.disconnect();
    // …and the reader, through that user, answered both calls above without a fallback.
    const metrics = createMetrics();
    const crs = direct(readerUrl(), metrics);
    await crs.usageStats();
    await trend(crs, 31);
    const text = await metrics.registry.metrics();
    expect(text).toContain('kp_crs_direct_reads_total{call="usageStats",outcome="ok"} 1');
    expect(text).toContain('kp_crs_direct_reads_total{call="keysUsageTrend",outcome="ok"} 1');
    expect(text).not.toContain('outcome="fallback"');
  });

  it('falls back to the admin API when Redis cannot answer: logged and counted', async () => {
    const fromApi = byKey(await api.usageStats());
    // A Redis that refuses the reader's commands, and one where nobody listens.
    const refused = w.refusedUrl();
    const metrics = createMetrics();
    emu.resetRequestCounts();
    expect(byKey(await direct(refused, metrics).usageStats())).toEqual(fromApi);
    const nobody = await RedisServer.start();
    await nobody.stop();
    expect(await trend(direct(nobody.url, metrics), 2)).toEqual(await trend(api, 2));
    expect(emu.requestCount('GET /admin/usage-stats')).toBe(1);
    expect(logLines.filter((l) => l.includes("reading CRS's Redis failed")).length).toBeGreaterThanOrEqual(2);
    const text = await metrics.registry.metrics();
    expect(text).toContain('kp_crs_direct_reads_total{call="usageStats",outcome="fallback"} 1');
    expect(text).toContain('kp_crs_direct_reads_total{call="keysUsageTrend",outcome="fallback"} 1');
  });

  it('falls back when the layout is not the one it knows, rather than reading zeros', async () => {
    const fromApi = byKey(await api.usageStats());
    const trendFromApi = await trend(api, 2);
    const metrics = createMetrics();
    const crs = direct(readerUrl(), metrics);
    // As if CRS had renamed things: the index-ready marker, a day's index, every key's lifetime counters.
    const moves: Array<[string, string]> = [
      ['apikey:index:version', 'moved:index:version'],
      ['usage:daily:index:2026-11-26', 'moved:daily:index'],
      ...(await admin.keys('usage:????????-????-????-????-????????????')).map((k): [string, string] => [
        k,
        `moved:${k}`,
      ]),
    ];
    const moved = async (pairs: Array<[string, string]>, read: () => Promise<unknown>) => {
      for (const [from, to] of pairs) await admin.rename(from, to);
      try {
        return await read();
      } finally {
        for (const [from, to] of pairs) await admin.rename(to, from);
      }
    };
    expect(await moved(moves.slice(0, 1), async () => byKey(await crs.usageStats()))).toEqual(fromApi);
    expect(await moved(moves.slice(1, 2), () => trend(crs, 2))).toEqual(trendFromApi);
    expect(await moved(moves.slice(2), async () => byKey(await crs.usageStats()))).toEqual(fromApi);
    expect(moves.length).toBeGreaterThan(4);
    const text = await metrics.registry.metrics();
    expect(text).toContain('kp_crs_direct_reads_total{call="usageStats",outcome="fallback"} 2');
    expect(text).toContain('kp_crs_direct_reads_total{call="keysUsageTrend",outcome="fallback"} 1');
  });

  it('does not fall back when the trend’s consumer fails: the consumer’s error, and no admin API call', async () => {
    const metrics = createMetrics();
    const crs = direct(readerUrl(), metrics);
    emu.resetRequestCounts();
    const boom = new Error('database write failed');
    await expect(
      crs.keysUsageTrend(31, () => {
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(emu.requestCount('GET /admin/api-keys-usage-trend')).toBe(0);
    expect(await metrics.registry.metrics()).not.toContain('outcome="fallback"');
  });
});
