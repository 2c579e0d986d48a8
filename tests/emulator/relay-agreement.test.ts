import { describe, expect, it } from 'vitest';
import { HAIKU, SONNET } from '../../src/crs-emulator/index.js';
import type { Json } from '../contract/world.js';
import { harness } from './harness.js';

const messages = [{ role: 'user', content: 'héllo wörld — 你好, count my UTF-8 bytes' }];
const inputTokens = Math.ceil(Buffer.byteLength(JSON.stringify(messages), 'utf8') / 4);
// Sonnet $3/$15 per MTok, haiku $1/$5, as per-token prices the way CRS computes them.
const sonnetCost = inputTokens * 3e-6 + 300 * 1.5e-5;
const haikuCost = inputTokens * 1e-6 + 100 * 5e-6;
const micro = Math.round(sonnetCost * 1e6) + Math.round(haikuCost * 1e6);

async function twoRequests() {
  // 17:30Z on the 25th is 01:30 on the 26th in CRS's UTC+8: the usage belongs to 2026-11-26.
  const h = await harness();
  const key = await h.createKey({ name: 'agree', dailyCostLimit: 10, tags: ['portal'] });
  const a = await h.relay(key.apiKey, { model: SONNET, max_tokens: 300, messages });
  const b = await h.relay(key.apiKey, { model: HAIKU, messages });
  return { h, key, a, b };
}

describe('relay usage is recorded once and every view agrees', () => {
  it('answers a canned message with deterministic usage', async () => {
    const { a, b } = await twoRequests();
    expect(a.status).toBe(200);
    expect(a.body.usage).toEqual({
      input_tokens: inputTokens,
      output_tokens: 300,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
    });
    expect(b.body.usage.output_tokens).toBe(100);
    expect(b.body.model).toBe(HAIKU);
  });

  it('shows the same numbers in usage-stats, the key trend, batch-stats, model-stats and usage-records', async () => {
    const { h, key } = await twoRequests();
    const tokens = 2 * inputTokens + 400;

    const stats = (await h.call('GET', '/admin/usage-stats')).body.data.stats.find((s: Json) => s.keyId === key.id);
    expect(stats.usage.total).toMatchObject({ requests: 2, allTokens: tokens, inputTokens: 2 * inputTokens });
    expect(stats.usage.total.cost).toBeCloseTo(sonnetCost + haikuCost, 12);
    expect(stats.usage.daily).toEqual({ requests: 2, tokens });
    expect(stats.usage.monthly).toEqual({ requests: 2, tokens });

    const trend = (await h.call('GET', '/admin/api-keys-usage-trend?days=2')).body;
    expect(trend.data.map((d: Json) => d.date)).toEqual(['2026-11-25', '2026-11-26']);
    expect(trend.data[0].apiKeys[key.id]).toBeUndefined();
    expect(trend.data[1].apiKeys[key.id]).toEqual({
      name: 'agree',
      tokens,
      requests: 2,
      cost: micro / 1e6,
      formattedCost: expect.any(String),
    });
    expect(trend.topApiKeys).toEqual([key.id]);

    for (const range of [
      { timeRange: 'today' },
      { timeRange: 'all' },
      { timeRange: 'custom', startDate: '2026-11-26', endDate: '2026-11-26' },
    ]) {
      const batch = (await h.call('POST', '/admin/api-keys/batch-stats', { keyIds: [key.id], ...range })).body;
      expect(batch.data[key.id]).toMatchObject({ requests: 2, tokens, cost: micro / 1e6, realCost: micro / 1e6 });
      expect(batch.data[key.id].dailyCost).toBeCloseTo(sonnetCost + haikuCost, 12);
    }

    const models = (await h.call('GET', `/admin/api-keys/${key.id}/model-stats?period=daily`)).body.data;
    expect(models.map((m: Json) => [m.model, m.requests, m.costs.total])).toEqual([
      [SONNET, 1, Math.round(sonnetCost * 1e6) / 1e6],
      [HAIKU, 1, Math.round(haikuCost * 1e6) / 1e6],
    ]);

    const records = (await h.call('GET', `/admin/api-keys/${key.id}/usage-records`)).body.data;
    expect(records.records.map((r: Json) => [r.model, r.inputTokens, r.outputTokens])).toEqual([
      [HAIKU, inputTokens, 100],
      [SONNET, inputTokens, 300],
    ]);
    expect(records.summary.totalCost).toBe(micro / 1e6);
    expect(records.records[1].timestamp).toBe('2026-11-25T17:30:00.000Z');
  });

  it('feeds the global dashboard and the global trend with the same request', async () => {
    const { h } = await twoRequests();
    const dash = (await h.call('GET', '/admin/dashboard')).body.data;
    expect(dash.overview.totalRequestsUsed).toBe(2);
    expect(dash.recentActivity.requestsToday).toBe(2);
    expect(dash.recentActivity.tokensToday).toBe(2 * inputTokens + 400);
    expect(dash.realtimeMetrics.rpm).toBe(0.4);
    const hours = (await h.call('GET', '/admin/usage-trend?granularity=hour')).body.data;
    const bucket = hours.find((x: Json) => x.hour === '2026-11-25T17:00:00.000Z');
    expect(bucket).toMatchObject({ label: '11/26 01:00', requests: 2 });
    expect(bucket.cost).toBeCloseTo(sonnetCost + haikuCost, 12);
  });

  it('is deterministic: the same requests give identical stats in a fresh emulator', async () => {
    const one = await twoRequests();
    const two = await twoRequests();
    const view = async (x: typeof one) =>
      (await x.h.call('GET', '/admin/usage-stats')).body.data.stats.find((s: Json) => s.keyId === x.key.id).usage;
    expect(await view(one)).toEqual(await view(two));
  });
});
