import { describe, expect, it } from 'vitest';
import type { Json } from '../contract/world.js';
import { harness } from './harness.js';

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe('seedHistory', () => {
  it('is deterministic for a given seed, rate and clock', async () => {
    const view = async (seed: number) => {
      const h = await harness();
      const { id } = h.emu.store.createKey({ name: 'k' });
      h.emu.store.seedHistory(id, { days: 30, requestsPerDay: 12, seed });
      return (await h.call('GET', '/admin/usage-stats')).body.data.stats[0].usage;
    };
    const a = await view(42);
    expect(await view(42)).toEqual(a);
    expect(await view(43)).not.toEqual(a);
  });

  it('agrees across usage-stats, dashboard, batch-stats, both trends and model-stats', async () => {
    const h = await harness();
    const ids: string[] = [];
    for (let i = 0; i < 60; i++) {
      const { id } = h.emu.store.createKey({ name: `k${i}`, tags: ['load'] });
      h.emu.store.seedHistory(id, { days: 20, requestsPerDay: 6, seed: i });
      ids.push(id);
    }
    const stats = (await h.call('GET', '/admin/usage-stats')).body.data.stats;
    const total = sum(stats.map((s: Json) => s.usage.total.requests));
    const dash = (await h.call('GET', '/admin/dashboard')).body.data;
    expect(dash.overview.totalRequestsUsed).toBe(total);
    expect(dash.overview.totalAllTokensUsed).toBe(sum(stats.map((s: Json) => s.usage.total.allTokens)));
    expect(dash.recentActivity.requestsToday).toBe(sum(stats.map((s: Json) => s.usage.daily.requests)));

    const keyTrend = (await h.call('GET', '/admin/api-keys-usage-trend?days=20')).body.data;
    const globalTrend = (await h.call('GET', '/admin/usage-trend?days=20')).body.data;
    for (let d = 0; d < 20; d++) {
      const perKey = Object.values<Json>(keyTrend[d].apiKeys);
      expect(sum(perKey.map((k) => k.requests))).toBe(globalTrend[d].requests);
      expect(sum(perKey.map((k) => k.tokens))).toBe(globalTrend[d].totalTokens);
    }
    expect(sum(globalTrend.map((d: Json) => d.requests))).toBe(total);

    const batch = (
      await h.call('POST', '/admin/api-keys/batch-stats', {
        keyIds: ids.slice(0, 50),
        timeRange: 'custom',
        startDate: keyTrend[0].date,
        endDate: keyTrend[19].date,
      })
    ).body.data;
    const id = ids[3];
    const keyDays = keyTrend.map((d: Json) => d.apiKeys[id]).filter(Boolean);
    expect(batch[id].requests).toBe(sum(keyDays.map((k: Json) => k.requests)));
    expect(Math.round(batch[id].cost * 1e6)).toBe(sum(keyDays.map((k: Json) => Math.round(k.cost * 1e6))));
    const models = (
      await h.call(
        'GET',
        `/admin/api-keys/${id}/model-stats?period=custom&startDate=${keyTrend[0].date}&endDate=${keyTrend[19].date}`,
      )
    ).body.data;
    expect(sum(models.map((m: Json) => m.requests))).toBe(batch[id].requests);
    expect(sum(models.map((m: Json) => Math.round(m.costs.total * 1e6)))).toBe(Math.round(batch[id].cost * 1e6));
    const all = (await h.call('POST', '/admin/api-keys/batch-stats', { keyIds: [id], timeRange: 'all' })).body.data[id];
    expect(all.requests).toBe(stats.find((s: Json) => s.keyId === id).usage.total.requests);
    expect(all.allTimeCost).toBe(stats.find((s: Json) => s.keyId === id).usage.total.cost);
  });
});
