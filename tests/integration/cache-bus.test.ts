import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import type { CacheEngine } from '../../src/infra/cache/types.js';
import { redisCache } from '../helpers/cache.js';
import { redisPrefix } from '../helpers/db.js';

/** Two portal instances on one Redis with the same prefix: the bus keeps their memory tiers in step. */
let redis: Redis;

async function pair(): Promise<{ a: CacheEngine; b: CacheEngine; prefix: string }> {
  const prefix = redisPrefix();
  return { a: await redisCache(prefix), b: await redisCache(prefix), prefix };
}

beforeAll(() => {
  redis = new Redis(inject('redisUrl'));
});
afterAll(async () => {
  await redis.quit();
});

describe('cache bus', () => {
  it("invalidateUser on A drops the user's entries from B's memory tier", async () => {
    const { a, b } = await pair();
    const key = ['usage', 'u1', '30d', 'all'];
    await a.namespaces.stats.getOrLoad(key, async () => 'from A', { userId: 'u1' });
    const load = vi.fn(async () => 'from B');
    expect(await b.namespaces.stats.getOrLoad(key, load, { userId: 'u1' })).toEqual({ value: 'from A', stale: false });
    expect(load).not.toHaveBeenCalled(); // B read it from Redis and keeps it in memory
    await b.namespaces.stats.getOrLoad(['usage', 'u2', '30d', 'all'], async () => 'u2', { userId: 'u2' });

    await a.invalidateUser('u1');

    // Redis no longer has it either, so undefined from B means B's memory tier dropped it.
    await vi.waitFor(async () => expect(await b.namespaces.stats.get(key)).toBeUndefined());
    expect(await b.namespaces.stats.get(['usage', 'u2', '30d', 'all'])).toBe('u2');
  });

  it('reaches an entry that only B holds in memory (loaded while Redis did not list it)', async () => {
    const { a, b, prefix } = await pair();
    const key = ['list', 'u1', ''];
    await b.namespaces.keys.getOrLoad(key, async () => 'only in B', { userId: 'u1' });
    // As if B had loaded it during a Redis outage: neither the entry nor its tag set is in Redis.
    await redis.del(`${prefix}:keys:list:u1:`, `${prefix}:_tag:user:u1`);
    expect(await b.namespaces.keys.get(key)).toBe('only in B');

    await a.invalidateUser('u1');

    await vi.waitFor(async () => expect(await b.namespaces.keys.get(key)).toBeUndefined());
  });

  it('a write on A makes B read the new value instead of its memory copy', async () => {
    const { a, b } = await pair();
    const key = ['usage', 'u1', '7d', 'k1'];
    await a.namespaces.stats.set(key, 'v1', { userId: 'u1' });
    expect(await b.namespaces.stats.get(key)).toBe('v1');

    await a.namespaces.stats.set(key, 'v2', { userId: 'u1' });

    await vi.waitFor(async () => expect(await b.namespaces.stats.get(key)).toBe('v2'));
  });

  it("invalidateNamespace on A clears that namespace from B's memory tier", async () => {
    const { a, b } = await pair();
    await a.namespaces.crsTrend.set(['2025-01-01-2025-01-31'], { data: [], fetchedAt: 't' });
    await a.namespaces.keys.set(['list', 'u1', ''], 'L');
    expect(await b.namespaces.crsTrend.get(['2025-01-01-2025-01-31'])).toEqual({ data: [], fetchedAt: 't' });
    expect(await b.namespaces.keys.get(['list', 'u1', ''])).toBe('L');

    expect(await a.invalidateNamespace('crs:trend')).toBe(1);

    await vi.waitFor(async () => expect(await b.namespaces.crsTrend.get(['2025-01-01-2025-01-31'])).toBeUndefined());
    expect(await b.namespaces.keys.get(['list', 'u1', ''])).toBe('L');
  });
});
