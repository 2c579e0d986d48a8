import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CrsInvalidResponse } from '../../src/infra/crs/failures.js';
import { readKeysTrend, readUsageStats } from '../../src/infra/crs/hot-parse.js';
import { parseWith } from '../../src/infra/crs/loose.js';
import {
  dashboardSchema,
  modelStatsSchema,
  usageRecordsSchema,
  usageTrendSchema,
} from '../../src/infra/crs/stats-schemas.js';

// Real CRS 1.1.314 answers (copied from the shared samples).
const samples = JSON.parse(readFileSync(new URL('./crs-samples.json', import.meta.url), 'utf8'));
const ALICE = '483fedd3-5bcd-455c-a5ab-a10cf615de60';
const BOB = '55c801d6-4a2a-4639-8f44-aabe17489428';

const parseUsageStats = (body: unknown) => readUsageStats(JSON.stringify(body));
const parseKeysUsageTrend = (body: unknown) => readKeysTrend(JSON.stringify(body));

describe('usage-stats (streamed, hand-written normaliser)', () => {
  it('reads lifetime totals per key', () => {
    const stats = parseUsageStats(samples.usageStats);
    expect(stats).toHaveLength(2);
    expect(stats[0]).toEqual({
      keyId: ALICE,
      name: 'portal-alice-laptop-renamed',
      total: {
        requests: 204,
        tokens: 4182141,
        inputTokens: 445918,
        outputTokens: 258489,
        cacheCreateTokens: 312128,
        cacheReadTokens: 3165606,
        cost: 10.839114,
      },
    });
  });

  it('accepts numbers as strings and falls back to tokens / totalCost', () => {
    const body = {
      data: {
        stats: [
          {
            keyId: 'k1',
            keyName: 'k',
            usage: { total: { requests: '3', tokens: '90', inputTokens: 10, outputTokens: '20' }, totalCost: '0.5' },
          },
        ],
      },
    };
    expect(parseUsageStats(body)[0].total).toEqual({
      requests: 3,
      tokens: 90,
      inputTokens: 10,
      outputTokens: 20,
      cacheCreateTokens: 0,
      cacheReadTokens: 0,
      cost: 0.5,
    });
  });

  it.each([
    [{ data: {} }, 'data.stats'],
    [{ data: { stats: [{ keyName: 'x', usage: {} }] } }, 'data.stats.0.keyId'],
    [
      { data: { stats: [{ keyId: 'a', usage: { total: { requests: 'many' } } }] } },
      'data.stats.0.usage.total.requests',
    ],
  ])('refuses %j naming %s', (body, path) => {
    expect(() => parseUsageStats(body)).toThrow(CrsInvalidResponse);
    expect(() => parseUsageStats(body)).toThrow(path);
  });
});

describe('api-keys-usage-trend (streamed, hand-written normaliser)', () => {
  it('reads one entry per key and day with usage', async () => {
    const entries = await parseKeysUsageTrend(samples.keysTrend);
    expect([...new Set(entries.map((e) => e.date))]).toEqual([
      '2026-11-20',
      '2026-11-21',
      '2026-11-22',
      '2026-11-23',
      '2026-11-24',
      '2026-11-25',
      '2026-11-26',
    ]);
    expect(entries[0]).toEqual({
      date: '2026-11-20',
      keyId: BOB,
      tokens: 333940,
      requests: 19,
      cost: 0.48837699999999995,
    });
    expect(
      entries
        .filter((e) => e.date === '2026-11-20')
        .map((e) => e.keyId)
        .sort(),
    ).toEqual([ALICE, BOB].sort());
  });

  it('reads empty days, string numbers, missing numbers as 0, and a date that comes after its keys', async () => {
    const text =
      '{"data":[{"date":"2026-01-01","apiKeys":{}},{"apiKeys":{"__proto__":{"tokens":1},' +
      '"k":{"tokens":"5","requests":"1","cost":"0.25","name":"n"}},"date":"2026-01-02"}]}';
    expect(await readKeysTrend(text)).toEqual([
      { date: '2026-01-02', keyId: '__proto__', tokens: 1, requests: 0, cost: 0 },
      { date: '2026-01-02', keyId: 'k', tokens: 5, requests: 1, cost: 0.25 },
    ]);
  });

  it.each([
    [{ data: [{ date: '2026-01-01', apiKeys: { k: { tokens: {} } } }] }, 'data.0.apiKeys.k.tokens'],
    [{ data: [{ apiKeys: {} }] }, 'data.0.date'],
    [{ data: [{ date: 5, apiKeys: {} }] }, 'data.0.date'],
    [{ data: [{ date: '2026-01-01', apiKeys: [] }] }, 'data.0.apiKeys'],
    [{ data: {} }, 'data'],
    [{}, 'data'],
  ])('refuses %j naming %s', async (body, path) => {
    const failure = await parseKeysUsageTrend(body).catch((e: Error) => e);
    expect(failure).toBeInstanceOf(CrsInvalidResponse);
    expect((failure as Error).message).toContain(path);
  });

  it('refuses a truncated answer', async () => {
    const text = JSON.stringify(samples.keysTrend).slice(0, -10);
    await expect(readKeysTrend(text)).rejects.toBeInstanceOf(CrsInvalidResponse);
    expect(() => readUsageStats(JSON.stringify(samples.usageStats).slice(0, -3))).toThrow(CrsInvalidResponse);
  });
});

describe('zod-parsed statistics', () => {
  it('usage-trend: one entry per day, tokens = totalTokens', () => {
    const days = parseWith(usageTrendSchema, 'GET /admin/usage-trend')(samples.usageTrend);
    expect(days).toHaveLength(7);
    expect(days[0]).toEqual({
      date: '2026-11-20',
      requests: 49,
      inputTokens: 96136,
      outputTokens: 66108,
      cacheCreateTokens: 62822,
      cacheReadTokens: 742584,
      tokens: 967650,
      cost: 2.7270485,
    });
  });

  it('dashboard: the operator figures', () => {
    expect(parseWith(dashboardSchema, 'GET /admin/dashboard')(samples.dashboard)).toEqual({
      totalApiKeys: 201,
      activeApiKeys: 199,
      totalRequests: 41991,
      totalTokens: 849316452,
      totalInputTokens: 92658293,
      totalOutputTokens: 56718215,
      totalCacheCreateTokens: 58547804,
      totalCacheReadTokens: 641392140,
      requestsToday: 266,
      tokensToday: 960568,
      inputTokensToday: 601190,
      outputTokensToday: 359378,
      cacheCreateTokensToday: 391428,
      cacheReadTokensToday: 4004321,
      rpm: 29.16,
      tpm: 103733.69,
      realtimeRpm: 0,
      realtimeTpm: 0,
      redisConnected: true,
      uptimeSeconds: 559.305622509,
      timezoneOffset: 8,
    });
  });

  it('dashboard: optional sections default to zero, the overview is required', () => {
    const parse = parseWith(dashboardSchema, 'GET /admin/dashboard');
    expect(parse({ data: { overview: { totalApiKeys: '2' } } })).toMatchObject({
      totalApiKeys: 2,
      requestsToday: 0,
      redisConnected: false,
    });
    expect(() => parse({ data: {} })).toThrow('data.overview');
  });

  it('model-stats: tokens = allTokens, cost = costs.total', () => {
    const rows = parseWith(modelStatsSchema, 'GET /admin/api-keys/:id/model-stats')(samples.modelStats);
    expect(rows.map((r) => r.model)).toEqual([
      'claude-sonnet-4-20250514',
      'claude-haiku-4-5-20251001',
      'claude-opus-4-1-20250805',
    ]);
    expect(rows[0]).toMatchObject({ requests: 53, tokens: 1063886, cost: 1.872463, cacheReadTokens: 792570 });
  });

  it('usage-records: responseTime → durationMs, missing statusCode → null', () => {
    const records = parseWith(usageRecordsSchema, 'GET /admin/api-keys/:id/usage-records')(samples.records);
    expect(records).toHaveLength(3);
    expect(records[0]).toEqual({
      timestamp: '2026-11-25T17:18:36.788Z',
      model: 'claude-sonnet-4-20250514',
      inputTokens: 3509,
      outputTokens: 2559,
      cacheCreateTokens: 5504,
      cacheReadTokens: 12724,
      tokens: 24296,
      cost: 0.073369,
      durationMs: null,
      statusCode: null,
    });
    const withTiming = {
      data: { records: [{ ...samples.records.data.records[0], responseTime: 812, statusCode: 200 }] },
    };
    expect(parseWith(usageRecordsSchema, 'x')(withTiming)[0]).toMatchObject({ durationMs: 812, statusCode: 200 });
  });
});
