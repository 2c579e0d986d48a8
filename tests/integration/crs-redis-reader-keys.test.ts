import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CrsKey, CrsModelStat, CrsTrendEntry } from '../../src/infra/crs/types.js';
import { createMetrics } from '../../src/infra/metrics/metrics.js';
import { DAY, NOW, startCrsRedisWorld } from '../helpers/crs-redis-fixture.js';

/*
 * The rest of the sync's reads from CRS's Redis (docs/decisions/037): the `portal` key list, the per-key hourly
 * trend and one key's models by day — the same answers as the admin API, and the admin API whenever the reader
 * cannot trust what it reads.
 */
let w: Awaited<ReturnType<typeof startCrsRedisWorld>>;
beforeAll(async () => {
  w = await startCrsRedisWorld();
});
afterAll(() => w.close());

async function listed(crs: typeof w.api, restarts = { n: 0 }): Promise<CrsKey[]> {
  let out: CrsKey[] = [];
  await crs.eachKeyPage('portal', (items) => void out.push(...items), {
    restart: () => {
      restarts.n++;
      out = [];
    },
  });
  return out.sort((a, b) => a.id.localeCompare(b.id));
}
async function hourly(crs: typeof w.api, start: number, end: number): Promise<CrsTrendEntry[]> {
  const out: CrsTrendEntry[] = [];
  await crs.keysHourlyTrend(new Date(start).toISOString(), new Date(end).toISOString(), (e) => void out.push(...e));
  return out.sort((a, b) => a.date.localeCompare(b.date) || a.keyId.localeCompare(b.keyId));
}
const crsDay = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);
/** By model: CRS orders them by tokens, and models with equal tokens in no particular order. */
const models = async (crs: typeof w.api, id: string, from: number, to: number): Promise<CrsModelStat[]> =>
  (await crs.keyModelStats(id, { period: 'custom', startDate: crsDay(from), endDate: crsDay(to) })).sort((a, b) =>
    a.model.localeCompare(b.model),
  );

describe('the key list, hourly trend and model stats from CRS’s Redis', () => {
  it('lists the tagged keys as the admin API does: every field the portal reads, deleted keys left out', async () => {
    const fromApi = await listed(w.api);
    w.emu.resetRequestCounts();
    const fromRedis = await listed(w.direct(w.readerUrl()));
    expect(fromRedis).toEqual(fromApi);
    // Only CRS's count of the tagged keys was asked of the admin API: one page of 10.
    expect(w.emu.requestCount('GET /admin/api-keys')).toBe(1);
    expect(fromApi.map((k) => k.name).sort()).toEqual(['disabled', 'idle', 'live', 'seeded']);
    expect(fromApi.find((k) => k.name === 'disabled')?.isActive).toBe(false);
  });

  it('answers the hourly trend as the admin API does, over 24 h and over a few hours across CRS’s midnight', async () => {
    const reader = w.direct(w.readerUrl());
    for (const [start, end] of [
      [NOW - DAY, NOW],
      [NOW - 5 * 3_600_000, NOW - 2 * 3_600_000],
      [NOW - 3 * DAY, NOW - 2 * DAY],
    ]) {
      const fromApi = await hourly(w.api, start, end);
      w.emu.resetRequestCounts();
      expect(await hourly(reader, start, end)).toEqual(fromApi);
      expect(w.emu.requestCount('GET /admin/api-keys-usage-trend'), w.logLines.join('\n')).toBe(0);
      expect(fromApi.length).toBeGreaterThan(0);
    }
  });

  it('answers one key’s models by day as the admin API does; an unknown key has none', async () => {
    const reader = w.direct(w.readerUrl());
    const cases: Array<[string, number, number]> = [
      [w.keys.live, NOW, NOW],
      [w.keys.live, NOW - DAY, NOW],
      [w.keys.seeded, NOW - 3 * DAY, NOW - DAY],
      [w.keys.disabled, NOW - DAY, NOW - DAY],
      [w.keys.gone, NOW - DAY, NOW],
    ];
    for (const [id, from, to] of cases) {
      const fromApi = await models(w.api, id, from, to);
      w.emu.resetRequestCounts();
      expect(await models(reader, id, from, to)).toEqual(fromApi);
      expect(w.emu.requestCount('GET /admin/api-keys/:id/model-stats')).toBe(0);
    }
    const live = await models(w.api, w.keys.live, NOW - DAY, NOW);
    expect(live.map((m) => m.model).sort()).toHaveLength(4);
    expect(live.every((m) => m.cacheReadTokens === 12_345)).toBe(true);
    expect(await models(w.api, w.keys.gone, NOW - DAY, NOW)).toEqual([]);
  });

  it('falls back to the admin API when the tag index does not count what CRS lists, dropping what it handed over', async () => {
    const fromApi = await listed(w.api);
    const metrics = createMetrics();
    const crs = w.direct(w.readerUrl(), metrics);
    // As if CRS no longer kept one key in its tag index: the reader would miss a live key.
    await w.admin.srem('apikey:tag:portal', w.keys.seeded);
    const restarts = { n: 0 };
    try {
      expect(await listed(crs, restarts)).toEqual(fromApi);
    } finally {
      await w.admin.sadd('apikey:tag:portal', w.keys.seeded);
    }
    expect(restarts.n).toBe(1);
    expect(await metrics.registry.metrics()).toContain(
      'kp_crs_direct_reads_total{call="keyList",outcome="fallback"} 1',
    );
  });

  it('falls back when an hour’s or a day’s layout is not the one it knows', async () => {
    const metrics = createMetrics();
    const crs = w.direct(w.readerUrl(), metrics);
    const hour = `${crsDay(NOW - 3_600_000)}:${new Date(NOW + 7 * 3_600_000).toISOString().slice(11, 13)}`;
    const moved = async <T>(from: string, read: () => Promise<T>): Promise<T> => {
      await w.admin.rename(from, `moved:${from}`);
      try {
        return await read();
      } finally {
        await w.admin.rename(`moved:${from}`, from);
      }
    };
    const span: [number, number] = [NOW - 3 * 3_600_000, NOW];
    const hoursFromApi = await hourly(w.api, ...span);
    expect(await moved(`usage:hourly:index:${hour}`, () => hourly(crs, ...span))).toEqual(hoursFromApi);
    const today = crsDay(NOW);
    const modelsFromApi = await models(w.api, w.keys.live, NOW, NOW);
    expect(await moved(`usage:model:daily:index:${today}`, () => models(crs, w.keys.live, NOW, NOW))).toEqual(
      modelsFromApi,
    );
    const text = await metrics.registry.metrics();
    expect(text).toContain('kp_crs_direct_reads_total{call="keysHourlyTrend",outcome="fallback"} 1');
    expect(text).toContain('kp_crs_direct_reads_total{call="keyModelStats",outcome="fallback"} 1');
  });
});
