import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.js';
import { createKey } from '../helpers/keys.js';
import { authHeaders, createUser } from '../helpers/security-suite.js';
import { RedisServer } from '../support/redis-server.js';

// A Redis of this file's own, so killing it does not disturb other test files.
const redis = await RedisServer.start();
afterAll(() => redis.stop());
const t = await createTestApp({ redis: redis.url });
const user = await createUser(t);
const key = await createKey(t, user, { name: 'resilient' });
t.emulator.store.seedHistory(key.crsKeyId, { days: 5, requestsPerDay: 3 });
await t.app.services.sync.runNow();

const urls = ['/api/stats/usage', '/api/stats/leaderboard', '/api/keys', `/api/keys/${key.id}`, '/api/auth/me'];
const readAll = () => Promise.all(urls.map((url) => t.app.inject({ method: 'GET', url, headers: authHeaders(user) })));

describe('Redis down, slow or back', () => {
  it('keeps answering every request while Redis is killed, and uses it again when it returns', async () => {
    const warm = await readAll();
    expect(warm.map((r) => r.statusCode)).toEqual(urls.map(() => 200));

    await redis.stop();
    for (let round = 0; round < 5; round++) {
      const answers = await readAll();
      expect(answers.map((r) => r.statusCode)).toEqual(urls.map(() => 200));
    }
    // Writes too: the owner's cache invalidation must not fail the request.
    const renamed = await t.app.inject({
      method: 'PATCH',
      url: `/api/keys/${key.id}`,
      headers: authHeaders(user),
      payload: { name: 'still-works' },
    });
    expect(renamed.statusCode).toBe(200);
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/keys', headers: authHeaders(user) })).json().items[0].name,
    ).toBe('still-works');
    const health = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(health.json()).toMatchObject({ status: 'degraded', checks: { redis: 'down' } });

    await redis.start();
    await expect
      .poll(async () => (await t.app.inject({ method: 'GET', url: '/api/health' })).json().checks.redis, {
        timeout: 15_000,
        interval: 200,
      })
      .toBe('up');
    const after = await readAll();
    expect(after.map((r) => r.statusCode)).toEqual(urls.map(() => 200));
    // New entries reach the restarted (empty) Redis again: the L2 tier is back in use without a restart.
    const probe = new Redis(redis.url);
    try {
      await expect
        .poll(
          async () => {
            await t.app.inject({ method: 'GET', url: '/api/stats/usage?range=90d', headers: authHeaders(user) });
            return probe.dbsize();
          },
          { timeout: 15_000, interval: 300 },
        )
        .toBeGreaterThan(0);
    } finally {
      probe.disconnect();
    }
  });
});
