import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { redisCache } from '../helpers/cache.js';
import { redisPrefix } from '../helpers/db.js';

/*
 * During a rolling upgrade, instances of the release that cached through bentocache 1.6 share Redis with
 * instances of this one (docs/decisions/021-owning-the-cache-tiers.md): each reads the other's entries and
 * applies the other's bus messages. The "older instance" here is raw Redis speaking that release's formats.
 */
let redis: Redis;
let listener: Redis;

beforeAll(() => {
  redis = new Redis(inject('redisUrl'));
  listener = new Redis(inject('redisUrl'));
});
afterAll(async () => {
  await redis.quit();
  listener.disconnect();
});

describe('the previous release’s formats', () => {
  it('reads an entry as bentocache 1.6 stored it', async () => {
    const prefix = redisPrefix();
    const cache = await redisCache(prefix);
    const now = Date.now();
    const entry = {
      value: { v: 'stored by 1.6', at: now, t: ['user:u1'] },
      logicalExpiration: now + 60_000,
      createdAt: now,
    };
    await redis.set(`${prefix}:stats:usage:u1:30d`, JSON.stringify(entry), 'PX', 600_000);

    const load = vi.fn(async () => 'loaded');
    expect(await cache.namespaces.stats.getOrLoad(['usage', 'u1', '30d'], load)).toEqual({
      value: 'stored by 1.6',
      stale: false,
    });
    expect(load).not.toHaveBeenCalled();
  });

  it('applies an invalidation from an older instance’s bus, and sends its own the same way', async () => {
    const prefix = redisPrefix();
    const channel = `bentocache.notifications:${prefix}`;
    const cache = await redisCache(prefix);
    const { stats } = cache.namespaces;
    await stats.getOrLoad(['usage', 'u1'], async () => 'u1', { userId: 'u1' });
    await stats.getOrLoad(['usage', 'u2'], async () => 'u2', { userId: 'u2' });

    const older = { b: 'an-older-instance', p: { type: 'delete', keys: ['_inv:tag|user:u1'], namespace: prefix } };
    await redis.publish(channel, JSON.stringify(older));
    await vi.waitFor(() => expect(stats.peek(['usage', 'u1'])).toBeUndefined());
    expect(stats.peek(['usage', 'u2'])).toEqual({ value: 'u2', stale: false });

    const heard: unknown[] = [];
    listener.on('message', (_channel: string, raw: string) => heard.push(JSON.parse(raw).p));
    await listener.subscribe(channel);
    await cache.invalidateUser('u2');
    await vi.waitFor(() =>
      expect(heard).toContainEqual({ type: 'delete', keys: ['_inv:tag|user:u2'], namespace: prefix }),
    );
  });
});
