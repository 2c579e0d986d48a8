import { describe, expect, it } from 'vitest';
import type { Json } from '../contract/world.js';
import { HOUR, harness } from './harness.js';

describe('statistics quirks (docs/crs.md §5, quirk 7)', () => {
  it('batch-stats: "monthly" always zeros; "7days" shifted a day forward from 16:00 CRS-local', async () => {
    // 2026-11-20 02:00 CRS-local: the 7th day back from 2026-11-26.
    const h = await harness({ start: '2026-11-19T18:00:00.000Z' });
    const { id } = await h.createKey({ name: 'k' });
    h.emu.store.recordUsage(id, { inputTokens: 1000, outputTokens: 100 });
    const batch = async (range: string) =>
      (await h.call('POST', '/admin/api-keys/batch-stats', { keyIds: [id], timeRange: range })).body.data[id];

    h.set('2026-11-26T03:00:00.000Z'); // 11:00 CRS-local: window 11-20 … 11-26
    await h.login();
    expect((await batch('7days')).requests).toBe(1);
    expect(await batch('monthly')).toMatchObject({ requests: 0, cost: 0, formattedCost: '$0.000000' });
    h.set('2026-11-26T09:00:00.000Z'); // 17:00 CRS-local: window 11-21 … 11-27, the 20th falls out
    expect((await batch('7days')).requests).toBe(0);
    const custom = await h.call('POST', '/admin/api-keys/batch-stats', {
      keyIds: [id],
      timeRange: 'custom',
      startDate: '2026-11-20',
      endDate: '2026-11-26',
    });
    expect(custom.body.data[id].requests).toBe(1);
  });

  it('batch-stats: fills dailyCost / weeklyOpusCost only when the matching limit is set; unknown ids get zeros', async () => {
    const h = await harness();
    const limited = await h.createKey({ name: 'l', dailyCostLimit: 5, weeklyOpusCostLimit: 50 });
    const plain = await h.createKey({ name: 'p' });
    for (const k of [limited, plain]) {
      h.emu.store.recordUsage(k.id, { model: 'claude-opus-4-1-20250805', inputTokens: 1000, outputTokens: 1000 });
    }
    const unknown = '00000000-0000-0000-0000-000000000000';
    const data = (
      await h.call('POST', '/admin/api-keys/batch-stats', { keyIds: [limited.id, plain.id, unknown], timeRange: 'all' })
    ).body.data;
    const cost = 1000 * 1.5e-5 + 1000 * 7.5e-5;
    expect(data[limited.id]).toMatchObject({ dailyCost: cost, weeklyOpusCost: cost, allTimeCost: cost });
    expect(data[plain.id]).toMatchObject({ dailyCost: 0, weeklyOpusCost: 0, allTimeCost: cost });
    expect(data[unknown]).toMatchObject({ requests: 0, formattedCost: '$0.00', allTimeCost: 0 });
  });

  it('batch-stats rejects bad bodies as CRS does', async () => {
    const h = await harness();
    const post = async (body: unknown) => h.call('POST', '/admin/api-keys/batch-stats', body);
    expect((await post({ keyIds: [] })).body.error).toBe('keyIds is required and must be a non-empty array');
    expect((await post({ keyIds: Array.from({ length: 101 }, (_, i) => String(i)) })).body.error).toBe(
      'Max 100 keys per request',
    );
    expect((await post({ keyIds: ['x'], timeRange: 'custom' })).status).toBe(400);
    expect(
      (await post({ keyIds: ['x'], timeRange: 'custom', startDate: '2025-01-01', endDate: '2026-11-01' })).status,
    ).toBe(400);
  });

  it('usage-trend: exactly N days oldest first, hourly ranges over 24 h refused in Chinese', async () => {
    const h = await harness();
    const days = (await h.call('GET', '/admin/usage-trend?days=5')).body.data;
    expect(days.map((d: Json) => d.date)).toEqual([
      '2026-11-22',
      '2026-11-23',
      '2026-11-24',
      '2026-11-25',
      '2026-11-26',
    ]);
    expect((await h.call('GET', '/admin/usage-trend?granularity=hour')).body.data).toHaveLength(25);
    const tooLong = await h.call(
      'GET',
      '/admin/usage-trend?granularity=hour&startDate=2026-11-20T00:00:00Z&endDate=2026-11-25T00:00:00Z',
    );
    expect(tooLong).toEqual({ status: 400, body: { error: '小时粒度查询时间范围不能超过24小时' } });
  });

  it('usage-stats: daily/monthly tokens are input+output only, averages per whole day since creation', async () => {
    const h = await harness();
    const { id } = await h.createKey({ name: 'k' });
    h.emu.store.recordUsage(id, { inputTokens: 1440, outputTokens: 1440, cacheReadTokens: 10_000 });
    const s = (await h.call('GET', '/admin/usage-stats')).body.data.stats[0].usage;
    expect(s.daily).toEqual({ requests: 1, tokens: 2880 });
    expect(s.total.allTokens).toBe(12_880);
    expect(s.averages).toEqual({ rpm: 0, tpm: 2 });
  });

  it('api-keys-usage-trend: deleted keys excluded, disabled keys included', async () => {
    const h = await harness();
    const disabled = await h.createKey({ name: 'disabled' });
    const deleted = await h.createKey({ name: 'deleted' });
    for (const k of [disabled, deleted]) h.emu.store.recordUsage(k.id, { inputTokens: 10, timestamp: h.now() - HOUR });
    await h.call('PUT', `/admin/api-keys/${disabled.id}`, { isActive: false });
    await h.call('DELETE', `/admin/api-keys/${deleted.id}`);
    const trend = (await h.call('GET', '/admin/api-keys-usage-trend?granularity=hour')).body;
    const seen = new Set(trend.data.flatMap((b: Json) => Object.keys(b.apiKeys)));
    expect([...seen]).toEqual([disabled.id]);
    expect(trend.totalApiKeys).toBe(1);
    // …but the global trend and dashboard keep the deleted key's usage.
    expect((await h.call('GET', '/admin/dashboard')).body.data.overview.totalRequestsUsed).toBe(2);
  });

  it('accepts back-dated usage after newer usage (rows out of period order)', async () => {
    const h = await harness();
    const { id } = await h.createKey({ name: 'k' });
    h.emu.store.recordUsage(id, { inputTokens: 10 });
    h.emu.store.recordUsage(id, { inputTokens: 20, timestamp: h.now() - 3 * 86_400_000 });
    h.emu.store.recordUsage(id, { inputTokens: 40 });
    const trend = (await h.call('GET', '/admin/api-keys-usage-trend?days=5')).body.data;
    expect(trend.map((d: Json) => d.apiKeys[id]?.tokens ?? 0)).toEqual([0, 20, 0, 0, 50]);
    const stats = (await h.call('GET', '/admin/usage-stats')).body.data.stats[0].usage;
    expect(stats.daily).toEqual({ requests: 2, tokens: 50 });
  });

  it('buckets days in the configured timezone', async () => {
    const h = await harness({ timezoneOffset: 0 });
    const { id } = await h.createKey({ name: 'k' });
    h.emu.store.recordUsage(id, { inputTokens: 10 }); // 17:30Z on the 25th: still the 25th in UTC
    const trend = (await h.call('GET', '/admin/api-keys-usage-trend?days=1')).body.data;
    expect(trend[0].date).toBe('2026-11-25');
    expect(trend[0].apiKeys[id].requests).toBe(1);
    expect((await h.call('GET', '/admin/dashboard')).body.data.systemTimezone).toBe(0);
  });
});
