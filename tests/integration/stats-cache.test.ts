import { describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.js';
import { createKey } from '../helpers/keys.js';
import { authHeaders, createUser } from '../helpers/security-suite.js';

// Every cycle reads usage-stats (decision 032's SYNC_TOTALS_INTERVAL=0): a cycle cut off in it is one case below.
const t = await createTestApp({ env: { SYNC_TOTALS_INTERVAL: '0' } });
const user = await createUser(t);
const keys = [await createKey(t, user, { name: 'a' }), await createKey(t, user, { name: 'b' })];
for (const [i, k] of keys.entries()) t.emulator.store.seedHistory(k.crsKeyId, { days: 10, requestsPerDay: 4, seed: i });
await t.app.services.sync.runNow();
const get = (url: string) => t.app.inject({ method: 'GET', url, headers: authHeaders(user) });

async function crsCalls(): Promise<number> {
  const metric = await t.deps.metrics.crsRequests.get();
  return metric.values.reduce((a, v) => a + v.value, 0);
}

const hotUrls = [
  '/api/stats/usage?range=30d',
  `/api/stats/usage?range=7d&keyId=${keys[0].id}`,
  `/api/stats/compare?keyIds=${keys.map((k) => k.id).join(',')}`,
  '/api/stats/leaderboard',
  '/api/keys',
];

describe('reads are served from the cache and the database, never from CRS', () => {
  it('makes no CRS call on warm reads (kp_crs_requests_total unchanged)', async () => {
    for (const url of hotUrls) expect((await get(url)).statusCode).toBe(200);
    const before = await crsCalls();
    expect(before).toBeGreaterThan(0); // the sync's own calls are counted
    for (let i = 0; i < 20; i++) for (const url of hotUrls) expect((await get(url)).statusCode).toBe(200);
    expect(await crsCalls()).toBe(before);
  });

  it('a key write invalidates the owner’s cached views before answering', async () => {
    expect((await get('/api/keys')).json().total).toBe(2);
    const created = await createKey(t, user, { name: 'c' });
    const list = (await get('/api/keys')).json();
    expect(list.total).toBe(3);
    await t.app.inject({
      method: 'PATCH',
      url: `/api/keys/${created.id}`,
      headers: authHeaders(user),
      payload: { name: 'c2' },
    });
    expect((await get('/api/keys')).json().items.map((k: { name: string }) => k.name)).toContain('c2');
    expect((await get('/api/stats/usage')).json().perKey.map((k: { name: string }) => k.name)).toContain('c2');
  });

  it('CRS down: the sync fails, data stays, answers say stale; CRS back: fresh again', async () => {
    const before = (await get('/api/stats/usage?range=30d')).json();
    t.emulator.faults.down = true;
    try {
      const report = await t.app.services.sync.runNow();
      expect(report).toMatchObject({ ok: false });
      const during = await get('/api/stats/usage?range=30d');
      expect(during.statusCode).toBe(200);
      expect(during.json()).toMatchObject({ totals: before.totals, stale: true });
      const status = await t.app.services.sync.status();
      expect(status?.lastError).toBeTruthy();
    } finally {
      t.emulator.faults.down = false;
    }
    await new Promise((r) => setTimeout(r, 200)); // the CRS circuit breaker's probe delay (tests: 150 ms)
    const back = await t.app.services.sync.runNow();
    expect(back, back?.error).toMatchObject({ ok: true });
    expect((await get('/api/stats/usage?range=30d')).json()).toMatchObject({ totals: before.totals, stale: false });
  });
});

describe('a CRS answer cut off mid-body during the sync', () => {
  it.each(['GET /admin/api-keys-usage-trend', 'GET /admin/usage-stats'])(
    '%s: the cycle fails as a whole (totals and daily rows), the next brings everything in',
    async (route) => {
      const before = (await get('/api/stats/usage?range=30d')).json();
      const usage = { model: 'claude-sonnet-4-20250514', inputTokens: 1000, outputTokens: 500 };
      t.emulator.store.recordUsage(keys[0].crsKeyId, usage);
      t.emulator.faults.cutBodyOf = route;
      try {
        const report = await t.app.services.sync.runNow();
        expect(report).toMatchObject({ ok: false });
        // Neither the key totals (usage-stats has the new request) nor the daily rows were written.
        const [listed] = (await get('/api/keys')).json().items.filter((k: { id: string }) => k.id === keys[0].id);
        expect(listed.usage.requests).toBeGreaterThan(0);
        expect(listed.usage.requests).toBe(
          before.perKey.find((k: { keyId: string }) => k.keyId === keys[0].id).requests,
        );
        expect((await get('/api/stats/usage?range=30d')).json().totals).toEqual(before.totals);
      } finally {
        t.emulator.faults.cutBodyOf = undefined;
      }
      await new Promise((r) => setTimeout(r, 200)); // the breaker's probe delay (tests: 150 ms)
      expect(await t.app.services.sync.runNow()).toMatchObject({ ok: true });
      const after = (await get('/api/stats/usage?range=30d')).json();
      expect(after.totals.requests).toBe(before.totals.requests + 1);
      expect(after.totals.tokens).toBe(before.totals.tokens + 1500);
    },
  );
});

describe('the sync reflects what the operator changed in CRS', () => {
  it('disabled, deleted and expired keys show up as such after the next sync', async () => {
    const owner = await createUser(t);
    const [a, b, c] = [await createKey(t, owner), await createKey(t, owner), await createKey(t, owner)];
    t.emulator.store.getKey(a.crsKeyId)!.isActive = false;
    await fetch(`${t.emulator.url}/admin/api-keys/${b.crsKeyId}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${await adminToken()}` },
    });
    t.emulator.store.getKey(c.crsKeyId)!.expiresAt = new Date(Date.now() - 1000).toISOString();
    await t.app.services.sync.runNow();
    const list = await t.app.inject({ method: 'GET', url: '/api/keys?status=all', headers: authHeaders(owner) });
    const status = Object.fromEntries(list.json().items.map((k: { id: string; status: string }) => [k.id, k.status]));
    expect(status).toEqual({ [a.id]: 'disabled', [b.id]: 'deleted', [c.id]: 'expired' });
  });

  it('two portal instances on one database never sync at the same time (advisory lock)', async () => {
    const second = await createTestApp({ databaseUrl: t.databaseUrl, emulator: t.emulator });
    t.emulator.faults.extraDelayMs = 300;
    try {
      const [one, two] = await Promise.all([t.app.services.sync.runNow(), second.app.services.sync.runNow()]);
      expect([one, two].filter((r) => r === undefined)).toHaveLength(1);
      expect([one, two].find((r) => r)).toMatchObject({ ok: true });
    } finally {
      t.emulator.faults.extraDelayMs = 0;
    }
  });
});

async function adminToken(): Promise<string> {
  const res = await fetch(`${t.emulator.url}/web/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: 'admin' }),
  });
  return ((await res.json()) as { token: string }).token;
}
