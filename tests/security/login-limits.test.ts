import { Redis } from 'ioredis';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { LOGIN_LIMITS } from '../../src/domain/accounts/rate-limit.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { redisPrefix } from '../helpers/db.js';
import { createUser, expectError } from '../helpers/security-suite.js';
import { RedisServer } from '../support/redis-server.js';

/*
 * Issue 10, point 3 (and 7's "shared across instances"): guessing is stopped without letting anyone lock the owner
 * out, and every instance counts into the same store.
 */
let offsetMs = 0;
const clock = () => new Date(Date.now() + offsetMs);
const t = await createTestApp({ clock });
let ipSeq = 0;
const freshIp = () => `10.1.${Math.floor(++ipSeq / 250)}.${ipSeq % 250}`;
// A Redis of this file's own, so stopping it does not disturb other test files.
const server = await RedisServer.start();
afterAll(() => server.stop());

interface Browser {
  ip: string;
  device?: string;
}

async function login(app: TestApp, email: string, password: string, from: Browser) {
  const res = await app.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    remoteAddress: from.ip,
    cookies: from.device ? { kp_device: from.device } : {},
    payload: { email, password },
  });
  const device = res.cookies.find((c) => c.name === 'kp_device')?.value;
  if (device) from.device = device;
  return res;
}

/** Wrong passwords for `email`, each from a new address (a botnet), until the account's budget is spent. */
async function spendAccountBudget(app: TestApp, email: string) {
  for (let i = 0; i < LOGIN_LIMITS.account.max; i++) {
    expectError(await login(app, email, `guess ${i}`, { ip: freshIp() }), 401, 'unauthorized');
  }
}

describe('no targeted lockout', () => {
  it('failures from anywhere block other browsers, never the owner’s known device', async () => {
    const owner = await createUser(t);
    const laptop: Browser = { ip: freshIp() };
    expect((await login(t, owner.email, owner.password, laptop)).statusCode).toBe(200);
    expect(laptop.device).toMatch(/^[\w-]{22}\.[\w-]{43}$/);

    await spendAccountBudget(t, owner.email);
    const stranger = await login(t, owner.email, owner.password, { ip: freshIp() });
    expectError(stranger, 429, 'rate_limited');
    expect(Number(stranger.headers['retry-after'])).toBeGreaterThan(0);

    // The attack goes on; the owner signs in from the known laptop, even from another network.
    expectError(await login(t, owner.email, 'one more guess', { ip: freshIp() }), 429, 'rate_limited');
    expect((await login(t, owner.email, owner.password, { ...laptop, ip: freshIp() })).statusCode).toBe(200);
  });

  it('does not trust a device cookie made for another account, or a forged one', async () => {
    const a = await createUser(t);
    const b = await createUser(t);
    const aLaptop: Browser = { ip: freshIp() };
    await login(t, a.email, a.password, aLaptop);
    await spendAccountBudget(t, b.email);
    for (const device of [aLaptop.device!, `${'A'.repeat(22)}.${'B'.repeat(43)}`, 'garbage']) {
      expectError(await login(t, b.email, b.password, { ip: freshIp(), device }), 429, 'rate_limited');
    }
  });

  it('bounds a known device’s own guesses: past its budget it is a stranger again', async () => {
    const owner = await createUser(t);
    const laptop: Browser = { ip: freshIp() };
    await login(t, owner.email, owner.password, laptop);
    for (let i = 0; i < LOGIN_LIMITS.device.max; i++) {
      expectError(await login(t, owner.email, `typo ${i}`, laptop), 401, 'unauthorized');
    }
    await spendAccountBudget(t, owner.email);
    expectError(await login(t, owner.email, owner.password, laptop), 429, 'rate_limited');
  });
});

describe('guessing is slowed', () => {
  it('per account and address: a few free failures, then delays that double', async () => {
    const u = await createUser(t);
    const from: Browser = { ip: freshIp() };
    for (let i = 0; i <= LOGIN_LIMITS.pair.free; i++) {
      expectError(await login(t, u.email, `wrong ${i}`, from), 401, 'unauthorized');
    }
    const waits: number[] = [];
    for (let i = 0; i < 3; i++) {
      const blocked = await login(t, u.email, u.password, from);
      expectError(blocked, 429, 'rate_limited');
      waits.push(Number(blocked.headers['retry-after']));
      offsetMs += waits[i] * 1000;
      expectError(await login(t, u.email, 'still wrong', from), 401, 'unauthorized');
    }
    expect(waits).toEqual([1, 2, 4]);
    // The right password from another address is not slowed by this address's failures.
    expect((await login(t, u.email, u.password, { ip: freshIp() })).statusCode).toBe(200);
  });

  it('per address across accounts (password spraying), and only that address', async () => {
    const ip = freshIp();
    for (let i = 0; i < LOGIN_LIMITS.address.max; i++) {
      expectError(await login(t, `spray-${i}@example.com`, 'password123', { ip }), 401, 'unauthorized');
    }
    const u = await createUser(t);
    expectError(await login(t, u.email, u.password, { ip }), 429, 'rate_limited');
    expect((await login(t, u.email, u.password, { ip: freshIp() })).statusCode).toBe(200);
  });

  it('counts an unknown address like a registered one, so the answers reveal nothing', async () => {
    const u = await createUser(t);
    for (const email of [u.email, 'ghost@example.com']) await spendAccountBudget(t, email);
    const [real, ghost] = await Promise.all(
      [u.email, 'ghost@example.com'].map((email) => login(t, email, 'whatever', { ip: freshIp() })),
    );
    expect([real.statusCode, ghost.statusCode]).toEqual([429, 429]);
    expect(real.json().error.message).toBe(ghost.json().error.message);
  });

  it('lets the account budget expire with its window', async () => {
    const u = await createUser(t);
    await spendAccountBudget(t, u.email);
    expectError(await login(t, u.email, u.password, { ip: freshIp() }), 429, 'rate_limited');
    offsetMs += LOGIN_LIMITS.account.windowMs + 1000;
    expect((await login(t, u.email, u.password, { ip: freshIp() })).statusCode).toBe(200);
  });
});

describe('one budget for all instances', () => {
  const twoInstances = async (redis: boolean | string) => {
    const prefix = redisPrefix();
    const a = await createTestApp({ redis, redisPrefix: prefix });
    const b = await createTestApp({ redis, redisPrefix: prefix, databaseUrl: a.databaseUrl, emulator: a.emulator });
    return [a, b] as const;
  };

  it.each([
    ['Redis', true],
    ['PostgreSQL (no Redis)', false],
  ])('counts failures on two instances together (%s)', async (_store, redis) => {
    const [a, b] = await twoInstances(redis);
    const u = await createUser(a);
    for (let i = 0; i < LOGIN_LIMITS.account.max; i++) {
      expectError(await login(i % 2 ? b : a, u.email, `guess ${i}`, { ip: freshIp() }), 401, 'unauthorized');
    }
    for (const app of [a, b]) {
      expectError(await login(app, u.email, u.password, { ip: freshIp() }), 429, 'rate_limited');
    }
  });

  it('keeps counting in PostgreSQL while Redis is down, and never fails a sign-in because of it', async () => {
    const app = await createTestApp({ redis: server.url });
    const u = await createUser(app);
    await server.stop();
    await spendAccountBudget(app, u.email);
    expectError(await login(app, u.email, u.password, { ip: freshIp() }), 429, 'rate_limited');
    const other = await createUser(app);
    expect((await login(app, other.email, other.password, { ip: freshIp() })).statusCode).toBe(200);
  });

  it('keeps the counted addresses out of Redis (keys are hashes)', async () => {
    const prefix = redisPrefix();
    const app = await createTestApp({ redisPrefix: prefix });
    await login(app, 'counted@example.com', 'wrong password', { ip: '203.0.113.77' });
    const redis = new Redis(inject('redisUrl'));
    try {
      const keys = await redis.keys(`${prefix}:rl:*`);
      expect(keys.length).toBeGreaterThan(0);
      const dump = JSON.stringify(await Promise.all(keys.map((k) => redis.hgetall(k)))) + keys.join();
      expect(dump).not.toMatch(/counted|203\.0\.113/);
    } finally {
      await redis.quit();
    }
  });
});
