import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/crs-emulator/index.js';
import { AppError } from '../../src/domain/errors.js';
import { type CrsClientOptions, createCrsClient } from '../../src/infra/crs/client.js';
import { createMetrics } from '../../src/infra/metrics/metrics.js';
import { freePort } from '../support/free-port.js';

const LOGIN = 'POST /web/auth/login';
const LIST = 'GET /admin/api-keys';

let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, latency: 'fast' });
});
afterEach(() => {
  emulator.faults.down = false;
  emulator.faults.extraDelayMs = 0;
  emulator.faults.status = undefined;
});
afterAll(() => emulator.close());

function client(opts: Partial<CrsClientOptions> = {}) {
  const metrics = createMetrics();
  const crs = createCrsClient({
    baseUrl: emulator.url,
    username: 'admin',
    password: 'admin',
    timeoutMs: 1000,
    retry: { attempts: 3, baseDelayMs: 5, maxDelayMs: 20 },
    breaker: { failureThreshold: 100, resetTimeoutMs: 200 },
    metrics,
    logger: pino({ level: 'silent' }),
    ...opts,
  });
  return { crs, metrics };
}

async function failure(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

const count = (route: string) => emulator.requestCount(route);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('admin session', () => {
  it('20 concurrent first calls log in once', async () => {
    const { crs } = client();
    const before = count(LOGIN);
    await Promise.all(Array.from({ length: 20 }, () => crs.listKeys({})));
    expect(count(LOGIN) - before).toBe(1);
  });

  it('expired sessions: 20 concurrent calls trigger exactly one re-login and all succeed', async () => {
    const { crs } = client();
    await crs.listKeys({});
    emulator.expireAdminSessions();
    const [logins, lists] = [count(LOGIN), count(LIST)];
    const pages = await Promise.all(Array.from({ length: 20 }, () => crs.listKeys({ pageSize: 10 })));
    expect(pages).toHaveLength(20);
    expect(count(LOGIN) - logins).toBe(1);
    // Each call: refused once, then repeated with the new token.
    expect(count(LIST) - lists).toBe(40);
  });

  it('wrong admin credentials → upstream_error, without retrying the login', async () => {
    const { crs } = client({ password: 'not-the-password' });
    const before = count(LOGIN);
    const e = await failure(crs.listKeys({}));
    expect(e.code).toBe('upstream_error');
    expect(e.message).toBe("CRS rejected the portal's admin credentials");
    expect(count(LOGIN) - before).toBe(1);
  });

  it('a 401 that survives a fresh login → upstream_error', async () => {
    const { crs } = client();
    await crs.listKeys({});
    emulator.faults.status = 401;
    const [logins, lists] = [count(LOGIN), count(LIST)];
    expect((await failure(crs.listKeys({}))).message).toContain('admin credentials');
    expect(count(LOGIN) - logins).toBe(1);
    expect(count(LIST) - lists).toBe(1);
  });
});

describe('CRS down, slow or failing', () => {
  it('closed port → upstream_unavailable "CRS is unreachable"', async () => {
    const { crs, metrics } = client({ baseUrl: `http://127.0.0.1:${await freePort()}` });
    const e = await failure(crs.dashboard());
    expect(e).toMatchObject({ code: 'upstream_unavailable', message: 'CRS is unreachable' });
    const statuses = (await metrics.crsRequests.get()).values.map((v) => v.labels.status);
    expect(statuses).toEqual(['error']);
  });

  it('the breaker opens after consecutive failures, fails fast, then recovers through one probe', async () => {
    const { crs, metrics } = client({ retry: { attempts: 1 }, breaker: { failureThreshold: 3, resetTimeoutMs: 200 } });
    await crs.listKeys({});
    emulator.faults.down = true;
    for (let i = 0; i < 3; i++) expect((await failure(crs.listKeys({}))).message).toBe('CRS is unreachable');
    expect(crs.state()).toBe('open');

    const fast = await failure(crs.listKeys({}));
    expect(fast.code).toBe('upstream_unavailable');
    expect(fast.message).toContain('repeated failures');
    expect(fast.retryAfter).toBeGreaterThan(0);
    const open = (await metrics.crsRequests.get()).values.find((v) => v.labels.status === 'open');
    expect(open?.value).toBe(1);

    emulator.faults.down = false;
    emulator.faults.extraDelayMs = 100;
    await sleep(220);
    expect(crs.state()).toBe('half-open');
    // One probe goes through; the calls beside it wait for its verdict, then go through the closed circuit.
    const before = emulator.requestCount('GET /admin/api-keys');
    const settled = await Promise.allSettled([crs.listKeys({}), crs.listKeys({}), crs.listKeys({})]);
    expect(settled.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
    expect(emulator.requestCount('GET /admin/api-keys') - before).toBe(3);
    expect(crs.state()).toBe('closed');
    await crs.listKeys({});
  });

  it('a failed probe re-opens the circuit', async () => {
    const { crs } = client({ retry: { attempts: 1 }, breaker: { failureThreshold: 2, resetTimeoutMs: 150 } });
    await crs.listKeys({});
    emulator.faults.down = true;
    await failure(crs.listKeys({}));
    await failure(crs.listKeys({}));
    await sleep(170);
    expect(crs.state()).toBe('half-open');
    expect((await failure(crs.listKeys({}))).message).toBe('CRS is unreachable');
    expect(crs.state()).toBe('open');
  });

  it('slow CRS → timeout → upstream_unavailable; the read is retried, the create is not', async () => {
    const { crs } = client({ timeoutMs: 100 });
    await crs.listKeys({});
    emulator.faults.extraDelayMs = 400;
    const [lists, creates] = [count(LIST), count('POST /admin/api-keys')];
    const e = await failure(crs.listKeys({}));
    expect(e).toMatchObject({ code: 'upstream_unavailable', message: 'CRS did not answer within 100 ms' });
    expect(count(LIST) - lists).toBe(3);
    expect((await failure(crs.createKey({ name: 'slow', tags: [] }))).code).toBe('upstream_unavailable');
    expect(count('POST /admin/api-keys') - creates).toBe(1);
  });

  it('CRS 5xx: reads retried, writes never; → upstream_error', async () => {
    const { crs } = client();
    const { key } = await crs.createKey({ name: 'k', tags: ['five'] });
    emulator.faults.status = 502;
    const before = emulator.requestCounts();
    const delta = (route: string) => count(route) - (before[route] ?? 0);

    expect((await failure(crs.listKeys({}))).code).toBe('upstream_error');
    expect((await failure(crs.usageStats())).code).toBe('upstream_error');
    expect((await failure(crs.createKey({ name: 'k2', tags: [] }))).code).toBe('upstream_error');
    expect((await failure(crs.updateKey(key.id, { isActive: false }))).code).toBe('upstream_error');
    expect((await failure(crs.setExpiration(key.id, null))).code).toBe('upstream_error');
    expect((await failure(crs.deleteKey(key.id))).code).toBe('upstream_error');
    expect(delta(LIST)).toBe(3);
    expect(delta('GET /admin/usage-stats')).toBe(3);
    expect(delta('POST /admin/api-keys')).toBe(1);
    expect(delta('PUT /admin/api-keys/:id')).toBe(1);
    expect(delta('PATCH /admin/api-keys/:id/expiration')).toBe(1);
    expect(delta('DELETE /admin/api-keys/:id')).toBe(1);
    expect(delta(LOGIN)).toBe(0);
  });

  it('a read recovers when CRS comes back between retries', async () => {
    const { crs } = client({ retry: { attempts: 3, baseDelayMs: 150, maxDelayMs: 150 } });
    await crs.listKeys({});
    emulator.faults.status = 500;
    const pending = crs.listKeys({});
    await sleep(30);
    emulator.faults.status = undefined;
    await expect(pending).resolves.toMatchObject({ page: 1 });
  });
});
