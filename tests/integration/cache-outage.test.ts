import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createCache } from '../../src/infra/cache/index.js';
import type { CacheEngine } from '../../src/infra/cache/types.js';
import { createMetrics } from '../../src/infra/metrics/metrics.js';
import { redisPrefix } from '../helpers/db.js';
import { freePort } from '../support/free-port.js';
import { RedisServer } from '../support/redis-server.js';

/** Redis of this file's own, so that it can be killed and started again on the same port. */
let server: RedisServer;
const open: CacheEngine[] = [];
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

async function cacheOn(
  url: string,
  { metrics = createMetrics(), logger = pino({ level: 'silent' }), prefix = redisPrefix() } = {},
): Promise<CacheEngine> {
  const cache = await createCache({ redisUrl: url, prefix, metrics, logger, l2CircuitBreakerMs: 500 });
  open.push(cache);
  return cache;
}

/** A pino logger whose lines are kept, to check what the cache logs. */
function capturingLogger(lines: string[]) {
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return pino({ level: 'debug' }, stream);
}

beforeAll(async () => {
  server = await RedisServer.start();
  process.on('unhandledRejection', onUnhandled);
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
  await server.start(); // a test may have left it stopped
});
afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  await server.stop();
  expect(unhandled).toEqual([]);
});

describe('cache health', () => {
  it('reports Redis up, and the memory ratio once a maxmemory is set', async () => {
    const cache = await cacheOn(server.url);
    expect(await cache.health()).toEqual({ redis: 'up' }); // maxmemory 0: no ratio
    const admin = new Redis(server.url);
    try {
      await admin.config('SET', 'maxmemory', String(256 * 1024 * 1024));
      const health = await cache.health();
      expect(health.redis).toBe('up');
      expect(health.memoryRatio).toBeGreaterThan(0);
      expect(health.memoryRatio).toBeLessThan(1);
    } finally {
      await admin.config('SET', 'maxmemory', '0');
      await admin.quit();
    }
  });

  it('logs connection events without the password', async () => {
    const admin = new Redis(server.url);
    await admin.config('SET', 'requirepass', 's3cret-pw');
    try {
      const lines: string[] = [];
      const url = `redis://:s3cret-pw@127.0.0.1:${server.port}`;
      const cache = await cacheOn(url, { logger: capturingLogger(lines) });
      expect(await cache.health()).toEqual({ redis: 'up' });
      const wrong = await cacheOn(`redis://:wrong-pw@127.0.0.1:${server.port}`, { logger: capturingLogger(lines) });
      expect(await wrong.health()).toEqual({ redis: 'down' });
      const all = lines.join('');
      expect(all).toContain('redis ready');
      expect(all).toContain(`redis://127.0.0.1:${server.port}`);
      expect(all).toContain('redis error');
      expect(all).not.toContain('s3cret-pw');
      expect(all).not.toContain('wrong-pw');
    } finally {
      await admin.config('SET', 'requirepass', '');
      await admin.quit();
    }
  });
});

describe('cache during a Redis outage', () => {
  it('keeps answering from memory and the loader while Redis is dead, and uses Redis again once it is back', async () => {
    const metrics = createMetrics();
    const prefix = redisPrefix();
    const a = await cacheOn(server.url, { metrics, prefix });
    const load = vi.fn(async () => 'before');
    await a.namespaces.stats.getOrLoad(['usage', 'u1', '30d', 'all'], load, { userId: 'u1' });
    expect(await metrics.registry.getSingleMetricAsString('kp_redis_up')).toContain('kp_redis_up 1');

    await server.stop(); // SIGKILL

    expect(await a.namespaces.stats.getOrLoad(['usage', 'u1', '30d', 'all'], load, { userId: 'u1' })).toEqual({
      value: 'before',
      stale: false,
    });
    expect(load).toHaveBeenCalledTimes(1);
    const during = vi.fn(async () => 'during');
    for (let i = 0; i < 20; i++) {
      expect(await a.namespaces.keys.getOrLoad(['list', `u${i}`, ''], during, { userId: `u${i}` })).toEqual({
        value: 'during',
        stale: false,
      });
    }
    expect(during).toHaveBeenCalledTimes(20);
    await a.namespaces.keys.set(['list', 'x', ''], 'set while down');
    expect(await a.namespaces.keys.get(['list', 'x', ''])).toBe('set while down');
    await a.invalidateUser('u1');
    expect(await a.namespaces.stats.get(['usage', 'u1', '30d', 'all'])).toBeUndefined();
    expect(await a.invalidateNamespace('keys')).toBe(0);
    expect(await a.health()).toEqual({ redis: 'down' });
    // The gauge follows the connection's events, which arrive on a later turn of the event loop.
    await vi.waitFor(async () =>
      expect(await metrics.registry.getSingleMetricAsString('kp_redis_up')).toContain('kp_redis_up 0'),
    );

    await server.start(); // same port

    await vi.waitFor(async () => expect(await a.health()).toEqual({ redis: 'up' }), { timeout: 15_000 });
    // Once its circuit breaker closes again, A writes to Redis again (same cache object, no restart).
    const admin = new Redis(server.url);
    try {
      await vi.waitFor(
        async () => {
          await a.namespaces.stats.set(['usage', 'u9', '30d', 'all'], 'after', { userId: 'u9' });
          expect(await admin.exists(`${prefix}:stats:usage:u9:30d:all`)).toBe(1);
        },
        { timeout: 15_000, interval: 200 },
      );
    } finally {
      await admin.quit();
    }
    const b = await cacheOn(server.url, { prefix });
    const loadB = vi.fn(async () => 'loaded by B');
    expect(await b.namespaces.stats.getOrLoad(['usage', 'u9', '30d', 'all'], loadB)).toEqual({
      value: 'after',
      stale: false,
    });
    expect(loadB).not.toHaveBeenCalled();
    expect(await metrics.registry.getSingleMetricAsString('kp_redis_up')).toContain('kp_redis_up 1');
  });

  it('makes the Redis purge an unresponsive Redis prevented once Redis answers again', async () => {
    const prefix = redisPrefix();
    const a = await cacheOn(server.url, { prefix });
    await a.namespaces.stats.set(['usage', 'u1', '30d', 'all'], 'old', { userId: 'u1' });
    await a.namespaces.stats.set(['usage', 'u2', '30d', 'all'], 'other', { userId: 'u2' });
    const admin = new Redis(server.url);
    try {
      // Redis stops answering (as when it is overloaded or paused) without dropping the connection.
      await admin.client('PAUSE', 1500, 'ALL');
      await a.invalidateUser('u1'); // the Redis part times out and is owed

      // No reconnection happens (the connection never dropped): the owed purge is retried until Redis answers,
      // and the memory tier drops again what it may have re-read from Redis meanwhile.
      await vi.waitFor(
        async () => {
          expect(await admin.exists(`${prefix}:stats:usage:u1:30d:all`)).toBe(0);
          expect(await a.namespaces.stats.get(['usage', 'u1', '30d', 'all'])).toBeUndefined();
        },
        { timeout: 15_000, interval: 200 },
      );
      expect(await admin.exists(`${prefix}:stats:usage:u2:30d:all`)).toBe(1);
    } finally {
      await admin.quit();
    }
  });

  it('starts while Redis is down, without waiting for it, and picks it up when it starts', async () => {
    const port = await freePort();
    const url = `redis://127.0.0.1:${port}`;
    const cache = await cacheOn(url);
    expect(await cache.health()).toEqual({ redis: 'down' });
    expect(await cache.namespaces.auth.getOrLoad(['session', 'h'], async () => null)).toEqual({
      value: null,
      stale: false,
    });

    const late = await RedisServer.start(port);
    try {
      await vi.waitFor(async () => expect(await cache.health()).toEqual({ redis: 'up' }), { timeout: 15_000 });
      const admin = new Redis(url);
      try {
        await vi.waitFor(
          async () => {
            await cache.namespaces.keys.set(['list', 'u1', ''], 'L');
            expect(await admin.keys('*')).toContainEqual(expect.stringMatching(/:keys:list:u1:$/));
          },
          { timeout: 15_000, interval: 200 },
        );
      } finally {
        await admin.quit();
      }
    } finally {
      await cache.close();
      await late.stop();
    }
  });
});
