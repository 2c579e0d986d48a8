import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { capturedLogs, createTestApp, type TestApp } from '../helpers/app.js';
import { createKey } from '../helpers/keys.js';
import { authHeaders, cookieHeaders, createUser, type TestUser } from '../helpers/security-suite.js';

/*
 * The warm lane (src/http/warm-lane.ts, docs/decisions/045) answers warm reads before Fastify. It must answer
 * exactly what Fastify answers — status, headers, bytes, metric, log line — and leave everything else to Fastify.
 * Over a listening server: app.inject() does not pass through the server's request listener, where the lane sits.
 */
const { lines, logStream } = capturedLogs();
const t = await createTestApp({ logStream });
const base = await listen(t);
const user = await createUser(t);
const keys = [await createKey(t, user, { name: 'alpha' }), await createKey(t, user, { name: 'beta' })];
for (const [i, k] of keys.entries()) t.emulator.store.seedHistory(k.crsKeyId, { days: 10, requestsPerDay: 4, seed: i });
await t.app.services.sync.runNow();
const lane = t.app.warmLane!;

const READS = [
  '/api/stats/usage?range=30d',
  '/api/stats/usage?range=7d&keyId=' + keys[0].id,
  '/api/keys',
  '/api/stats/summary?range=30d',
  '/api/stats/statement',
  `/api/stats/compare?keyIds=${keys.map((k) => k.id).join(',')}`,
  '/api/stats/leaderboard?sortBy=cost',
  '/api/me/summary',
];

async function listen(app: TestApp): Promise<string> {
  await app.app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(app.app.server.address() as AddressInfo).port}`;
}

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  /** Whether the lane answered it. */
  lane: boolean;
}

async function get(path: string, headers: Record<string, string> = authHeaders(user), method = 'GET', root = base) {
  const before = lane.served;
  const res = await fetch(`${root}${path}`, { method, headers });
  const body = Buffer.from(await res.arrayBuffer());
  return { status: res.status, headers: Object.fromEntries(res.headers), body, lane: lane.served > before } as Answer;
}

/** What may differ between two answers of the same read. */
const withoutPerAnswer = ({ date: _d, 'x-request-id': _id, ...rest }: Record<string, string>) => rest;

describe('the warm lane', () => {
  it('answers the routes it serves with the bytes and headers Fastify answered', async () => {
    expect(lane.paths.sort()).toEqual(
      [
        '/api/keys',
        '/api/me/summary',
        '/api/stats/compare',
        '/api/stats/leaderboard',
        '/api/stats/statement',
        '/api/stats/summary',
        '/api/stats/usage',
      ].sort(),
    );
    for (const path of READS) {
      const first = await get(path);
      expect(first.status, `${path}: ${first.body}`).toBe(200);
      expect(first.lane, path).toBe(false);
      const warm = await get(path);
      expect(warm.lane, path).toBe(true);
      expect(warm.status).toBe(200);
      expect(warm.body.equals(first.body), path).toBe(true);
      expect(withoutPerAnswer(warm.headers), path).toEqual(withoutPerAnswer(first.headers));
      expect(warm.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(warm.headers['x-request-id']).not.toBe(first.headers['x-request-id']);
    }
  });

  it('counts its answers in the latency histogram and logs them as Fastify’s are, with a caller’s request id', async () => {
    const path = '/api/stats/usage?range=30d';
    await get(path);
    const count = async () =>
      (await t.deps.metrics.httpDuration.get()).values.find(
        (v) =>
          v.metricName === 'kp_http_request_duration_seconds_count' &&
          v.labels.route === '/api/stats/usage' &&
          v.labels.status === 200,
      )?.value ?? 0;
    const before = await count();
    const warm = await get(path, { ...authHeaders(user), 'x-request-id': 'trace-me.42' });
    expect(warm.lane).toBe(true);
    expect(warm.headers['x-request-id']).toBe('trace-me.42');
    expect(await count()).toBe(before + 1);
    const line = lines.map((l) => JSON.parse(l)).find((l) => l.reqId === 'trace-me.42');
    expect(line).toMatchObject({ msg: 'request', method: 'GET', route: '/api/stats/usage', status: 200 });
  });

  it('serves a session cookie and a read-scoped personal access token; a token without the scope goes to Fastify', async () => {
    const path = '/api/keys';
    await get(path);
    expect((await get(path, cookieHeaders(user))).lane).toBe(true);
    const token = async (scopes: string[]) => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/tokens',
        headers: authHeaders(user),
        payload: { name: scopes.join('+') || 'none', scopes },
      });
      expect(res.statusCode, res.body).toBe(201);
      return { authorization: `Bearer ${res.json().token}` };
    };
    // A token's first use loads it into the cache (Fastify's path); from then on the lane answers it.
    const readScoped = await token(['read']);
    expect((await get(path, readScoped)).status).toBe(200);
    const read = await get(path, readScoped);
    expect([read.status, read.lane]).toEqual([200, true]);
    const keysScoped = await token(['keys']);
    for (let i = 0; i < 2; i++) {
      const keysOnly = await get(path, keysScoped);
      expect([keysOnly.status, keysOnly.lane]).toEqual([403, false]);
    }
  });

  it('leaves every request it cannot answer as Fastify would to Fastify', async () => {
    const path = '/api/stats/usage?range=30d';
    await get(path);
    const cases: [string, Promise<Answer>, number][] = [
      ['no credentials', get(path, {}), 401],
      ['an unknown token', get(path, { authorization: `Bearer ${'x'.repeat(43)}` }), 401],
      ['two session cookies', get(path, { cookie: `kp_session=${user.token}; kp_session=${user.token}` }), 401],
      ['a querystring not seen before', get('/api/stats/usage?range=90d'), 200],
      ['an invalid querystring', get('/api/stats/usage?range=12d'), 400],
      ['HEAD', get(path, authHeaders(user), 'HEAD'), 200],
      ['a trailing slash', get('/api/stats/usage/?range=30d'), 200],
      ['a route with parameters', get(`/api/keys/${keys[0].id}/models`), 200],
    ];
    for (const [what, answer, status] of cases) {
      const a = await answer;
      expect([what, a.status, a.lane]).toEqual([what, status, false]);
    }
    // A querystring the schema accepts but the domain refuses (hourly views span at most 7 days): the lane runs the
    // answer, which throws, and leaves the request to Fastify every time.
    for (let i = 0; i < 2; i++) {
      const refused = await get('/api/stats/usage?granularity=hour&range=30d');
      expect([refused.status, refused.lane]).toEqual([400, false]);
    }
    // The querystring Fastify has now validated is the lane's from here on.
    expect((await get('/api/stats/usage?range=90d')).lane).toBe(true);
    expect((await get('/api/stats/usage?range=12d')).lane).toBe(false);
  });

  it('refuses a revoked session at once: it is never answered from what the lane knew', async () => {
    const other = await createUser(t);
    const path = '/api/stats/usage?range=30d';
    expect((await get(path, authHeaders(other))).status).toBe(200);
    expect((await get(path, authHeaders(other))).lane).toBe(true);
    const out = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: authHeaders(other) });
    expect(out.statusCode, out.body).toBeLessThan(300);
    const after = await get(path, authHeaders(other));
    expect([after.status, after.lane]).toEqual([401, false]);
  });

  it('hands a read it began loading to Fastify, which answers it with one load', async () => {
    const path = '/api/stats/usage?range=30d';
    const warm = await get(path);
    await t.deps.cache.invalidateUser(user.id);
    const loads = async () =>
      (await t.deps.metrics.cacheMisses.get()).values.find((v) => v.labels.namespace === 'stats')?.value ?? 0;
    const before = await loads();
    const cold = await get(path);
    expect([cold.status, cold.lane]).toEqual([200, false]);
    expect(cold.body.equals(warm.body)).toBe(true);
    expect((await loads()) - before).toBe(1);
    expect((await get(path)).lane).toBe(true);
  });

  it('leaves a second factor owed to Fastify (403 mfa_required)', async () => {
    const admin = await createUser(t, { role: 'admin' });
    await get('/api/keys');
    expect((await get('/api/keys')).lane).toBe(true);
    const everyone = await t.app.inject({
      method: 'PATCH',
      url: '/api/admin/settings/mfa',
      headers: authHeaders(admin),
      payload: { mfaRequired: 'everyone' },
    });
    expect(everyone.statusCode, everyone.body).toBe(200);
    for (let i = 0; i < 2; i++) {
      const owed = await get('/api/keys');
      expect([owed.status, owed.lane]).toEqual([403, false]);
      expect(JSON.parse(String(owed.body)).error.code).toBe('mfa_required');
    }
  });

  it('from the start of the app’s close on, answers nothing', async () => {
    const other = await createTestApp();
    const root = await listen(other);
    const u: TestUser = await createUser(other);
    const otherLane = other.app.warmLane!;
    const read = async () => {
      const before = otherLane.served;
      const res = await fetch(`${root}/api/keys`, { headers: authHeaders(u) });
      await res.arrayBuffer();
      return otherLane.served > before;
    };
    await read();
    expect(await read()).toBe(true);
    otherLane.close();
    expect(await read()).toBe(false);
  });
});

describe('answers that Fastify compresses', () => {
  it('are left to Fastify, with the answer the lane began', async () => {
    const small = await createTestApp({ env: { COMPRESS_MIN_BYTES: '64' } });
    const root = await listen(small);
    const u = await createUser(small);
    const smallLane = small.app.warmLane!;
    const headers = { ...authHeaders(u), 'accept-encoding': 'br' };
    await fetch(`${root}/api/stats/usage?range=30d`, { headers });
    const before = smallLane.served;
    const res = await fetch(`${root}/api/stats/usage?range=30d`, { headers });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-encoding')).toBe('br');
    expect(((await res.json()) as { granularity: string }).granularity).toBe('day');
    expect(smallLane.served).toBe(before);
  });
});
