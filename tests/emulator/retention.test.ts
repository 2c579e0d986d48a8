import { describe, expect, it } from 'vitest';
import type { Json } from '../contract/world.js';
import { DAY, HOUR, harness } from './harness.js';

describe('retention as in CRS (hourly 7 d, daily 32 d, monthly 365 d, last 200 records)', () => {
  it('expires hourly, then daily buckets; lifetime totals stay', async () => {
    const h = await harness({ start: '2026-11-10T04:00:00.000Z' });
    const { id } = await h.createKey({ name: 'k' });
    h.emu.store.recordUsage(id, { inputTokens: 100, outputTokens: 50 });
    const hourRange = '&startDate=2026-11-10T00:00:00Z&endDate=2026-11-10T23:00:00Z';
    const inHours = async () =>
      (await h.call('GET', `/admin/api-keys-usage-trend?granularity=hour${hourRange}`)).body.totalApiKeys;
    const inDays = async () =>
      (
        await h.call('POST', '/admin/api-keys/batch-stats', {
          keyIds: [id],
          timeRange: 'custom',
          startDate: '2026-11-10',
          endDate: '2026-11-10',
        })
      ).body.data[id].requests;
    const lifetime = async () =>
      (await h.call('POST', '/admin/api-keys/batch-stats', { keyIds: [id], timeRange: 'all' })).body.data[id].requests;

    expect([await inHours(), await inDays(), await lifetime()]).toEqual([1, 1, 1]);
    h.advance(7 * DAY - HOUR);
    await h.login();
    expect(await inHours()).toBe(1);
    h.advance(2 * HOUR);
    await h.login();
    expect([await inHours(), await inDays(), await lifetime()]).toEqual([0, 1, 1]);
    h.advance(25 * DAY);
    await h.login();
    expect([await inDays(), await lifetime()]).toEqual([0, 1]);
    expect((await h.call('GET', '/admin/usage-stats')).body.data.stats[0].usage.total.requests).toBe(1);
  });

  it('keeps only the last 200 request records, newest first', async () => {
    const h = await harness();
    const { id } = await h.createKey({ name: 'k' });
    for (let i = 1; i <= 250; i++)
      h.emu.store.recordUsage(id, { inputTokens: i, timestamp: h.now() - (251 - i) * 1000 });
    const res = (await h.call('GET', `/admin/api-keys/${id}/usage-records?pageSize=200`)).body.data;
    expect(res.pagination.totalRecords).toBe(200);
    expect(res.records[0].inputTokens).toBe(250);
    expect(res.records[199].inputTokens).toBe(51);
    const page2 = (await h.call('GET', `/admin/api-keys/${id}/usage-records?page=2&pageSize=50&sortOrder=asc`)).body
      .data;
    expect(page2.records[0].inputTokens).toBe(101);
    expect((await h.call('GET', `/admin/api-keys/${id}/usage-records?startDate=notadate`)).status).toBe(400);
  });

  it('seeded history respects retention: trends see 32 days, totals see all of it; its records replay', async () => {
    const h = await harness();
    const { id } = await h.createKey({ name: 'seeded' });
    h.emu.store.seedHistory(id, { days: 90, requestsPerDay: 10, seed: 1 });
    const trend = (await h.call('GET', '/admin/api-keys-usage-trend?days=90')).body.data;
    const withUsage = trend.filter((d: Json) => d.apiKeys[id]).map((d: Json) => d.date);
    expect(withUsage.length).toBeGreaterThanOrEqual(31);
    expect(withUsage.length).toBeLessThanOrEqual(33);
    const inTrend = trend.reduce((n: number, d: Json) => n + (d.apiKeys[id]?.requests ?? 0), 0);
    const all = (await h.call('POST', '/admin/api-keys/batch-stats', { keyIds: [id], timeRange: 'all' })).body.data[id];
    expect(all.requests).toBeGreaterThan(inTrend * 2);
    const records = (await h.call('GET', `/admin/api-keys/${id}/usage-records?pageSize=200`)).body.data;
    expect(records.pagination.totalRecords).toBe(200);
    const times = records.records.map((r: Json) => Date.parse(r.timestamp));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(times[0]).toBeLessThanOrEqual(h.now());
    // A relayed request goes on top of the seeded ones.
    h.emu.store.recordUsage(id, { inputTokens: 7 });
    const after = (await h.call('GET', `/admin/api-keys/${id}/usage-records?pageSize=2`)).body.data.records;
    expect(after[0].inputTokens).toBe(7);
    expect(after[1]).toEqual(records.records[0]);
  });
});
