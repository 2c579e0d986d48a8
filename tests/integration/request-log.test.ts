import { describe, expect, it } from 'vitest';
import { crsAdmin } from '../helpers/crs-admin.js';
import { insightsWorld, type Json, MODELS } from '../helpers/insights-world.js';

/*
 * Issue 13 point 3: the request log pages over everything CRS keeps of a key (its last 200 requests) and filters by
 * model and time, with the input/output/cache/cost figures of each request; durationMs and statusCode stay null
 * (CRS does not give them, docs/crs.md quirk 20). The 200 records are read once (cached): paging and filtering ask
 * CRS nothing more.
 */
const w = await insightsWorld();
const key = w.keys[2]; // 40 days of ~10 requests a day: more than CRS keeps
type Records = { data: { records: Json[]; pagination: { totalRecords: number } } };
const crs = await crsAdmin<Records>(w.emulator.url, `/admin/api-keys/${key.crsKeyId}/usage-records?pageSize=200`);
const url = (q = '') => `/api/keys/${key.id}/requests${q}`;

describe('GET /api/keys/:id/requests', () => {
  it('pages over the 200 records CRS keeps, newest first, one CRS call for every page', async () => {
    expect(crs.data.records).toHaveLength(200);
    w.emulator.resetRequestCounts();
    const seen: Json[] = [];
    for (let page = 1; page <= 4; page++) {
      const body: Json = (await w.get(url(`?page=${page}&pageSize=50`))).json();
      expect(body).toMatchObject({ page, pageSize: 50, total: 200 });
      seen.push(...body.items);
    }
    expect((await w.get(url('?page=5&pageSize=50'))).json().items).toEqual([]);
    expect(w.emulator.requestCount()).toBe(1);
    expect(seen.map((r) => r.timestamp)).toEqual(crs.data.records.map((r) => r.timestamp));
    expect(seen[0]).toMatchObject({
      model: crs.data.records[0].model,
      inputTokens: crs.data.records[0].inputTokens,
      outputTokens: crs.data.records[0].outputTokens,
      cacheCreateTokens: crs.data.records[0].cacheCreateTokens,
      cacheReadTokens: crs.data.records[0].cacheReadTokens,
      cost: crs.data.records[0].cost,
      durationMs: null,
      statusCode: null,
    });
  });

  it('filters by model and by time, as CRS’s own filters would', async () => {
    w.emulator.resetRequestCounts();
    const model = MODELS[0];
    const byModel: Json = (await w.get(url(`?model=${model}&pageSize=200`))).json();
    const crsModel = await crsAdmin<Records>(
      w.emulator.url,
      `/admin/api-keys/${key.crsKeyId}/usage-records?pageSize=200&model=${model}`,
    );
    expect(byModel.total).toBe(crsModel.data.pagination.totalRecords);
    expect(byModel.items.every((r: Json) => r.model === model)).toBe(true);
    expect(byModel.models).toEqual([...new Set(crs.data.records.map((r) => r.model))].sort());
    const from = crs.data.records[120].timestamp;
    const to = crs.data.records[40].timestamp;
    const window: Json = (await w.get(url(`?from=${from}&to=${to}&pageSize=200`))).json();
    expect(window.total).toBe(81);
    expect(window.items[0].timestamp).toBe(to);
    expect(window.items.at(-1).timestamp).toBe(from);
    // The filters ran in the portal over the cached records: the one CRS call since the reset is the test's own.
    expect(w.emulator.requestCount('GET /admin/api-keys/:id/usage-records')).toBe(1);
  });

  it('refuses bad filters by name', async () => {
    for (const [q, field] of [
      ['?from=yesterday', 'from'],
      ['?pageSize=201', 'pageSize'],
      ['?page=0', 'page'],
      ['?from=2026-03-20T00:00:00Z&to=2026-03-19T00:00:00Z', 'from'],
      ['?limit=5', 'limit'],
    ]) {
      const res = await w.get(url(q));
      expect(res.statusCode, q).toBe(400);
      expect(res.json().error.details[0].path, q).toBe(field);
    }
  });
});
