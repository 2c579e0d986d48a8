import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Emulator, startEmulator } from '../../src/crs-emulator/index.js';
import { AppError } from '../../src/domain/errors.js';
import { createCrsClient } from '../../src/infra/crs/client.js';
import type { CrsClient, CrsTrendEntry } from '../../src/infra/crs/types.js';
import { createMetrics, type Metrics } from '../../src/infra/metrics/metrics.js';

const PASSWORD = 'crs-admin-pass-7f3a9c';
const UNKNOWN = '00000000-0000-0000-0000-000000000000';
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

let emulator: Emulator;
let crs: CrsClient;
let metrics: Metrics;
const logLines: string[] = [];

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, latency: 'fast', adminPassword: PASSWORD });
  metrics = createMetrics();
  const logger = pino({ level: 'trace' }, { write: (line: string) => void logLines.push(line) });
  crs = createCrsClient({
    baseUrl: emulator.url,
    username: 'admin',
    password: PASSWORD,
    timeoutMs: 2000,
    metrics,
    logger,
  });
});
afterAll(() => emulator.close());

async function failure(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

describe('CRS client against the emulator: keys', () => {
  it('round-trips a key: create → list → update → setExpiration → delete → permanent', async () => {
    const { key, secret } = await crs.createKey({
      name: 'alice-laptop',
      description: 'Alice laptop key',
      tags: ['portal', 'user:u_1001'],
      dailyCostLimit: 10,
      concurrencyLimit: 2,
      enableModelRestriction: true,
      restrictedModels: ['claude-opus-4-1-20250805'],
    });
    expect(secret).toMatch(/^cr_[0-9a-f]{64}$/);
    expect(key).toMatchObject({ name: 'alice-laptop', description: 'Alice laptop key', isActive: true });

    const listed = await crs.listKeys({ tag: 'user:u_1001' });
    expect(listed.items.map((k) => k.id)).toEqual([key.id]);
    expect(listed.items[0]).toMatchObject({
      tags: ['portal', 'user:u_1001'],
      isActive: true,
      isDeleted: false,
      dailyCostLimit: 10,
      concurrencyLimit: 2,
      restrictedModels: ['claude-opus-4-1-20250805'],
      expiresAt: null,
    });

    await crs.updateKey(key.id, { name: 'alice-laptop-2', isActive: false, totalCostLimit: 300 });
    const future = new Date(Date.now() + 30 * 86_400_000).toISOString();
    await crs.setExpiration(key.id, future);
    const [afterExpiry] = await crs.listAllKeys('user:u_1001');
    // The expiration route must not re-enable the disabled key (a PUT with expiresAt would, docs/crs.md, quirk 5).
    expect(afterExpiry).toMatchObject({ name: 'alice-laptop-2', isActive: false, totalCostLimit: 300 });
    expect(Date.parse(afterExpiry.expiresAt ?? '')).toBe(Date.parse(future));
    expect(afterExpiry.updatedAt).not.toBeNull();

    await crs.setExpiration(key.id, null);
    expect((await crs.listAllKeys('user:u_1001'))[0]).toMatchObject({ expiresAt: null, isActive: false });

    await crs.deleteKey(key.id);
    expect(await crs.listAllKeys('user:u_1001')).toEqual([]);
    // Soft only: the key is in CRS's deleted list, restorable by the operator (the client has no hard delete).
    expect(await crs.listDeletedKeys()).toContainEqual({
      id: key.id,
      name: 'alice-laptop-2',
      deletedAt: expect.any(String),
    });
    expect('deleteKeyPermanently' in crs).toBe(false);
  });

  it('listAllKeys pages through every key of a tag, 100 at a time', async () => {
    for (let i = 0; i < 230; i++) emulator.store.createKey({ name: `bulk-${i}`, tags: ['bulk'] });
    emulator.store.createKey({ name: 'other', tags: ['not-bulk'] });
    const before = emulator.requestCount('GET /admin/api-keys');
    const keys = await crs.listAllKeys('bulk');
    expect(keys).toHaveLength(230);
    expect(new Set(keys.map((k) => k.id)).size).toBe(230);
    expect(keys.every((k) => k.tags.includes('bulk'))).toBe(true);
    expect(emulator.requestCount('GET /admin/api-keys') - before).toBe(3);
  });

  it('listAllKeys lists more than 100 pages (the sync reads a missing key as deleted in CRS)', async () => {
    // Over 10,000 keys: the bound an earlier version stopped at, silently dropping every key after it.
    for (let i = 0; i < 10_050; i++) emulator.store.createKey({ name: `many-${i}`, tags: ['many'] });
    const keys = await crs.listAllKeys('many');
    expect(keys).toHaveLength(10_050);
    expect(new Set(keys.map((k) => k.id)).size).toBe(10_050);
  }, 60_000);

  it('listAllKeys reads the pages after the first 4 at a time, with the sequential result', async () => {
    for (let i = 0; i < 1050; i++) emulator.store.createKey({ name: `par-${i}`, tags: ['parallel'] });
    // The walk the client used to make: one page after another until CRS's last page.
    const sequential: string[] = [];
    for (let page = 1; ; page++) {
      const res = await crs.listKeys({ tag: 'parallel', page, pageSize: 100, sortBy: 'createdAt', sortOrder: 'asc' });
      sequential.push(...res.items.map((k) => k.id));
      if (page >= res.totalPages) break;
    }
    emulator.resetRequestCounts();
    // Slow answers, so that the pages in flight overlap at the emulator whatever the machine's load.
    emulator.faults.extraDelayMs = 200;
    try {
      const keys = await crs.listAllKeys('parallel', (k) => ({ id: k.id, name: k.name }));
      expect(keys.map((k) => k.id)).toEqual(sequential);
      expect(new Set(sequential).size).toBe(1050);
    } finally {
      emulator.faults.extraDelayMs = 0;
    }
    // 11 pages: page 1 alone, then 2..11 with at most 4 in flight, none past the last (CRS would repeat it).
    expect(emulator.requestCount('GET /admin/api-keys')).toBe(11);
    expect(emulator.inFlightPeak('GET /admin/api-keys')).toBe(4);
  });

  it('maps an unknown key to not_found, including CRS 500 "API key not found"', async () => {
    const calls = [
      () => crs.updateKey(UNKNOWN, { name: 'x' }),
      () => crs.deleteKey(UNKNOWN),
      () => crs.setExpiration(UNKNOWN, null),
      () => crs.keyUsageRecords(UNKNOWN),
    ];
    for (const call of calls) expect((await failure(call())).code).toBe('not_found');
  });

  it('maps CRS 400 to bad_request with CRS message', async () => {
    const e = await failure(crs.createKey({ name: '', tags: [] }));
    expect(e.code).toBe('bad_request');
    expect(e.message).toContain('Name is required');
  });
});

describe('CRS client against the emulator: statistics', () => {
  it('reads usage totals, per-key and global trends, model stats, records and the dashboard', async () => {
    const { key } = await crs.createKey({ name: 'stats-key', tags: ['stats'] });
    const gone = await crs.createKey({ name: 'deleted-key', tags: ['stats'] });
    const usage = { model: 'claude-sonnet-4-20250514', inputTokens: 1200, outputTokens: 800 };
    emulator.store.recordUsage(key.id, { ...usage, cacheCreateTokens: 500, cacheReadTokens: 20_000 });
    emulator.store.recordUsage(key.id, usage);
    emulator.store.recordUsage(gone.key.id, usage);
    await crs.deleteKey(gone.key.id);

    const totals = await crs.usageStats();
    const mine = totals.find((t) => t.keyId === key.id);
    expect(mine).toEqual({
      keyId: key.id,
      name: 'stats-key',
      total: expect.objectContaining({ requests: 2, inputTokens: 2400, outputTokens: 1600, tokens: 24_500 }),
    });
    expect(mine?.total.cost).toBeGreaterThan(0);
    expect(totals.some((t) => t.keyId === gone.key.id)).toBe(false);

    const trend: CrsTrendEntry[] = [];
    await crs.keysUsageTrend(7, (entries) => trend.push(...entries));
    expect(new Set(trend.map((e) => e.date)).size).toBeLessThanOrEqual(7);
    expect(trend.filter((e) => e.keyId === key.id)).toEqual([
      expect.objectContaining({ keyId: key.id, requests: 2, tokens: 24_500 }),
    ]);

    const global = await crs.usageTrend(7);
    expect(global).toHaveLength(7);
    expect(global.at(-1)?.requests).toBeGreaterThanOrEqual(3);

    const models = await crs.keyModelStats(key.id, { period: 'daily' });
    expect(models).toEqual([expect.objectContaining({ model: 'claude-sonnet-4-20250514', requests: 2 })]);

    const records = await crs.keyUsageRecords(key.id, { pageSize: 10 });
    expect(records).toHaveLength(2);
    expect(records[0]).toMatchObject({ model: 'claude-sonnet-4-20250514', inputTokens: 1200 });

    const dash = await crs.dashboard();
    expect(dash.totalRequests).toBeGreaterThanOrEqual(3);
    expect(dash.timezoneOffset).toBe(8);

    expect(await crs.health()).toMatchObject({ ok: true });
  });
});

describe('CRS client: the bulk answers are read as they arrive', () => {
  it('hands the trend over in batches as the body streams in, every key and day once', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 6000; i++) {
      const { id } = emulator.store.createKey({ name: `stream-${i}`, tags: ['stream'] });
      emulator.store.recordUsage(id, { model: 'claude-sonnet-4-20250514', inputTokens: i + 1, outputTokens: 1 });
      ids.push(id);
    }
    const sizes: number[] = [];
    const seen = new Map<string, CrsTrendEntry>();
    await crs.keysUsageTrend(2, async (entries) => {
      sizes.push(entries.length);
      for (const e of entries) seen.set(`${e.date}/${e.keyId}`, e);
      await new Promise((r) => setTimeout(r, 1)); // a slow consumer holds the read back, nothing is lost
    });
    // ~1 MB of JSON: many chunks, and more than one batch of 5,000 entries.
    expect(sizes.length).toBeGreaterThan(1);
    const mine = [...seen.values()].filter((e) => ids.includes(e.keyId));
    expect(mine).toHaveLength(6000);
    expect(mine.find((e) => e.keyId === ids[41])).toMatchObject({ requests: 1, tokens: 43 });
    const usage = new Map((await crs.usageStats()).map((u) => [u.keyId, u]));
    expect(ids.every((id) => usage.get(id)?.total.requests === 1)).toBe(true);
  }, 60_000);

  it('usage-stats in batches: a read cut off and retried starts its consumer over', async () => {
    // Over 10,000 keys by now: half an answer holds a whole batch of 5,000.
    const whole = await crs.usageStats();
    expect(whole.length).toBeGreaterThan(10_000);
    const events: string[] = [];
    let kept: string[] = [];
    emulator.faults.cutBodyOf = 'GET /admin/usage-stats';
    try {
      await crs.streamUsageStats({
        restart: () => {
          events.push('restart');
          kept = [];
        },
        write: (batch) => {
          events.push(`write ${batch.length}`);
          for (const u of batch) kept.push(u.keyId);
          emulator.faults.cutBodyOf = undefined; // this answer is already being cut; the retry is whole
        },
      });
    } finally {
      emulator.faults.cutBodyOf = undefined;
    }
    expect(events[0]).toBe('restart');
    expect(events[1]).toMatch(/^write \d{4,}$/);
    expect(events.filter((e) => e === 'restart')).toHaveLength(2);
    expect(kept.sort()).toEqual(whole.map((u) => u.keyId).sort());
  }, 60_000);

  it('a consumer that fails ends the read with its own error: not retried, not counted against CRS', async () => {
    const before = emulator.requestCount('GET /admin/api-keys-usage-trend');
    const boom = new Error('database write failed');
    let calls = 0;
    const got = await crs
      .keysUsageTrend(7, () => {
        calls++;
        throw boom;
      })
      .catch((e: unknown) => e);
    expect(got).toBe(boom);
    expect(calls).toBe(1);
    expect(emulator.requestCount('GET /admin/api-keys-usage-trend') - before).toBe(1);
    expect(await crs.health()).toMatchObject({ ok: true });
    await crs.keysUsageTrend(1, () => {}); // the breaker did not open
  });
});

describe('CRS client observability', () => {
  it('labels metrics with route templates and outcomes, never with ids', async () => {
    const { key } = await crs.createKey({ name: 'metrics-key', tags: ['m'] });
    await crs.updateKey(key.id, { isActive: false });
    await failure(crs.updateKey(UNKNOWN, { name: 'x' }));

    const counts = (await metrics.crsRequests.get()).values;
    const labels = counts.map((v) => `${v.labels.endpoint} ${v.labels.status}`);
    expect(labels).toContain('PUT /admin/api-keys/:id 200');
    expect(labels).toContain('PUT /admin/api-keys/:id 500');
    expect(labels).toContain('POST /web/auth/login 200');
    for (const v of counts) {
      expect(String(v.labels.endpoint)).toMatch(/^(GET|POST|PUT|PATCH|DELETE) \/[a-z/:-]*$/);
      expect(String(v.labels.endpoint)).not.toMatch(UUID);
    }
    const durations = (await metrics.crsDuration.get()).values;
    const putCount = durations.find(
      (v) =>
        v.metricName === 'kp_crs_request_duration_seconds_count' && v.labels.endpoint === 'PUT /admin/api-keys/:id',
    );
    expect(putCount?.value).toBeGreaterThanOrEqual(2);
  });

  it('never logs the admin password or token, even across a re-login and failures', async () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    emulator.expireAdminSessions();
    await crs.listKeys({ tag: 'm' });
    await failure(crs.deleteKey(UNKNOWN));
    const tokens = new Set(
      fetchSpy.mock.calls
        .map(([, init]) => (init?.headers as Record<string, string> | undefined)?.authorization)
        .filter((h): h is string => h !== undefined)
        .map((h) => h.replace(/^Bearer /, '')),
    );
    expect(tokens.size).toBe(2);
    const log = logLines.join('\n');
    expect(log).toContain('CRS admin login');
    expect(log).not.toContain(PASSWORD);
    for (const t of tokens) expect(log).not.toContain(t);
  });
});
