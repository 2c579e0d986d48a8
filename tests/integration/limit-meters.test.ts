import { describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/crs-emulator/index.js';
import { createTestApp } from '../helpers/app.js';
import { type CreatedKey, createKey } from '../helpers/keys.js';
import { authHeaders, createUser } from '../helpers/security-suite.js';

/*
 * Issue 13 point 1, "done when": each key's limitUsage equals what CRS itself counts — its per-key stats, asked
 * here directly — at day, week and window boundaries in CRS's timezone (UTC+8), with the emulator's and the
 * portal's clocks driven together. The sync reads CRS's per-key stats only for keys with a window or weekly limit
 * that were used since their last read; browsing adds no CRS call.
 */
/** JSON off the wire; the assertions check it. */
// biome-ignore lint/suspicious/noExplicitAny: JSON from the wire, checked by the assertions
type Json = any;
const HOUR = 3_600_000;
const MIN = 60_000;
// Tuesday 2026-03-03 23:00 in CRS's UTC+8.
let now = Date.parse('2026-03-03T15:00:00.000Z');
const emulator = await startEmulator({ latency: 'fast', clock: () => now });
const t = await createTestApp({ emulator, clock: () => new Date(now) });
const user = await createUser(t);
const OPUS = 'claude-opus-4-1-20250805';

const metered = await createKey(t, user, {
  name: 'metered',
  expiresAt: '2026-03-20T00:00:00.000Z',
  limits: {
    dailyCostLimit: 5,
    totalCostLimit: 100,
    weeklyOpusCostLimit: 50,
    rateLimitWindow: 60,
    rateLimitRequests: 100,
    tokenLimit: 1_000_000,
    rateLimitCost: 20,
    concurrencyLimit: 3,
  },
});
const dailyOnly = await createKey(t, user, { name: 'daily-only', limits: { dailyCostLimit: 2 } });
const unlimited = await createKey(t, user, { name: 'unlimited' });

// The operator moves the weekly reset to Wednesday 05:00 (CRS-local), as CRS's admin UI can.
await crsCall('PUT', `/admin/api-keys/${metered.crsKeyId}`, { weeklyResetDay: 3, weeklyResetHour: 5 });

async function crsCall(method: string, path: string, body?: unknown, token?: string) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  else {
    const login = await fetch(`${emulator.url}/web/auth/login`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ username: 'admin', password: 'admin' }),
    });
    headers.authorization = `Bearer ${((await login.json()) as { token: string }).token}`;
  }
  const res = await fetch(emulator.url + path, { method, headers, body: body ? JSON.stringify(body) : undefined });
  expect(res.status, await res.clone().text()).toBe(200);
  return res.json() as Promise<Record<string, Json>>;
}

/** A request through CRS's relay, the way Claude Code sends one. */
async function relay(key: CreatedKey, model = OPUS, crsUrl = emulator.url) {
  const res = await fetch(`${crsUrl}/api/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': key.secret },
    body: JSON.stringify({ model, max_tokens: 300, messages: [{ role: 'user', content: 'hello there' }] }),
  });
  expect(res.status).toBe(200);
}

/** What CRS counts for a key right now (its public per-key stats, by id). */
async function crsFigures(key: CreatedKey) {
  const res = await fetch(`${emulator.url}/apiStats/api/user-stats`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ apiId: key.crsKeyId }),
  });
  return ((await res.json()) as { data: { limits: Record<string, Json> } }).data.limits;
}

async function meters(key: CreatedKey) {
  const res = await t.app.inject({ method: 'GET', url: '/api/keys?pageSize=100', headers: authHeaders(user) });
  expect(res.statusCode).toBe(200);
  const item = res.json().items.find((k: { id: string }) => k.id === key.id);
  const detail = await t.app.inject({ method: 'GET', url: `/api/keys/${key.id}`, headers: authHeaders(user) });
  // The list and the detail agree (the list compact, the detail full: the same figures).
  expect(detail.json().limitUsage).toEqual(item.limitUsage);
  return Object.fromEntries(item.limitUsage.map((m: { kind: string }) => [m.kind, m])) as Record<string, Json>;
}

async function sync() {
  emulator.resetRequestCounts();
  const report = await t.app.services.sync.runNow();
  expect(report?.ok, report?.error).toBe(true);
  return emulator.requestCount('POST /apiStats/api/user-stats');
}

const cents = (usd: number) => Math.round(usd * 100);

/** The portal's meters of the metered key equal CRS's own figures now. */
async function expectCrsFigures() {
  const crs = await crsFigures(metered);
  const m = await meters(metered);
  expect(cents(m.daily_cost.used)).toBe(cents(crs.currentDailyCost));
  expect(m.total_cost.used).toBeCloseTo(crs.currentTotalCost, 6);
  expect(m.weekly_opus_cost.used).toBeCloseTo(crs.weeklyOpusCost, 6);
  expect(m.window_requests.used).toBe(crs.currentWindowRequests);
  expect(m.window_tokens.used).toBe(crs.currentWindowTokens);
  expect(m.window_cost.used).toBeCloseTo(crs.currentWindowCost, 6);
  const windowEnd = crs.windowEndTime === null ? null : new Date(crs.windowEndTime).toISOString();
  expect(m.window_requests.resetsAt).toBe(windowEnd);
  return { crs, m };
}

describe('limit meters', () => {
  it('every limit of a key has a meter; a key without limits has none', async () => {
    await sync();
    const m = await meters(metered);
    expect(Object.keys(m).sort()).toEqual(
      [
        'concurrency',
        'daily_cost',
        'expiry',
        'total_cost',
        'weekly_opus_cost',
        'window_cost',
        'window_requests',
        'window_tokens',
      ].sort(),
    );
    expect(m.concurrency).toMatchObject({ used: null, limit: 3, resetsAt: null });
    expect(m.expiry).toMatchObject({ used: null, limit: null, resetsAt: '2026-03-20T00:00:00.000Z' });
    expect(m.daily_cost).toMatchObject({ used: 0, limit: 5, resetsAt: '2026-03-03T16:00:00.000Z' });
    // The next Wednesday 05:00 in UTC+8.
    expect(m.weekly_opus_cost).toMatchObject({ limit: 50, resetsAt: '2026-03-03T21:00:00.000Z' });
    expect(await meters(unlimited)).toEqual({});
  });

  it('after use: equal to CRS, read only for the key that has a window or weekly limit', async () => {
    for (let i = 0; i < 3; i++) await relay(metered);
    await relay(dailyOnly, 'claude-sonnet-4-20250514');
    await relay(unlimited);
    expect(await sync()).toBe(1);
    const { crs } = await expectCrsFigures();
    expect(crs.currentWindowRequests).toBe(3);
    expect(crs.weeklyOpusCost).toBeGreaterThan(0);
    const d = await meters(dailyOnly);
    expect(cents(d.daily_cost.used)).toBe(cents((await crsFigures(dailyOnly)).currentDailyCost));
    expect(d.daily_cost.used).toBeGreaterThan(0);
  });

  it('an unused key is not read again, and browsing asks CRS nothing', async () => {
    expect(await sync()).toBe(0);
    emulator.resetRequestCounts();
    await meters(metered);
    await meters(dailyOnly);
    expect(emulator.requestCount()).toBe(0);
  });

  it('within the window: more use is read at the next sync', async () => {
    now += 30 * MIN; // 23:30
    await relay(metered);
    expect(await sync()).toBe(1);
    const { crs } = await expectCrsFigures();
    expect(crs.currentWindowRequests).toBe(4);
  });

  it('past the window and CRS midnight: window and daily cost read 0, without asking CRS', async () => {
    now += 40 * MIN; // Wednesday 00:10: the window (23:00–00:00) is over, a new CRS day began
    expect(await sync()).toBe(0);
    const { crs, m } = await expectCrsFigures();
    expect(crs.currentWindowRequests).toBe(0);
    expect(m.window_requests).toMatchObject({ used: 0, resetsAt: null });
    expect(m.daily_cost).toMatchObject({ used: 0, resetsAt: '2026-03-04T16:00:00.000Z' });
    expect(m.weekly_opus_cost.used).toBeGreaterThan(0);
  });

  it('past the weekly reset (Wednesday 05:00 CRS): weekly Opus cost reads 0, then counts again', async () => {
    now += 5 * HOUR; // Wednesday 05:10
    expect(await sync()).toBe(0);
    let { crs, m } = await expectCrsFigures();
    expect(crs.weeklyOpusCost).toBe(0);
    expect(m.weekly_opus_cost).toMatchObject({ used: 0, resetsAt: '2026-03-10T21:00:00.000Z' });
    await relay(metered);
    expect(await sync()).toBe(1);
    ({ crs, m } = await expectCrsFigures());
    expect(m.weekly_opus_cost.used).toBeGreaterThan(0);
    expect(m.window_requests).toMatchObject({ used: 1 });
  });

  it('a sync cycle reads at most SYNC_LIMIT_READS keys', async () => {
    const crs2 = await startEmulator({ latency: 'fast', clock: () => now });
    const t2 = await createTestApp({ emulator: crs2, clock: () => new Date(now), env: { SYNC_LIMIT_READS: '2' } });
    const u2 = await createUser(t2);
    const keys = [];
    for (let i = 0; i < 4; i++)
      keys.push(await createKey(t2, u2, { limits: { rateLimitWindow: 10, rateLimitRequests: 5 } }));
    for (const k of keys) await relay(k, 'claude-sonnet-4-20250514', crs2.url);
    const counts = [];
    for (let i = 0; i < 3; i++) {
      crs2.resetRequestCounts();
      expect((await t2.app.services.sync.runNow())?.ok).toBe(true);
      counts.push(crs2.requestCount('POST /apiStats/api/user-stats'));
    }
    await crs2.close();
    expect(counts).toEqual([2, 2, 0]);
  });
});
