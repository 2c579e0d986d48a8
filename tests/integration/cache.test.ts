import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { AppError } from '../../src/domain/errors.js';
import { createMetrics } from '../../src/infra/metrics/metrics.js';
import { redisCache } from '../helpers/cache.js';
import { redisPrefix } from '../helpers/db.js';

/** The cache over the run's real Redis; each test gets its own key prefix. */
let redis: Redis;

async function redisKeys(pattern: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    found.push(...keys);
    cursor = next;
  } while (cursor !== '0');
  return found.sort();
}

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** Moves the clock the cache reads (Date) past a TTL; timers stay real (Redis I/O, soft timeouts). */
function advanceClock(ms: number): void {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Date.now() + ms);
}

beforeAll(() => {
  redis = new Redis(inject('redisUrl'));
});
afterEach(() => {
  vi.useRealTimers();
});
afterAll(async () => {
  await redis.quit();
});

describe('cache over Redis: reads, counts, keys', () => {
  it('counts hits, misses and stale reads per namespace and exports them to Prometheus', async () => {
    const metrics = createMetrics();
    const cache = await redisCache(redisPrefix(), { metrics });
    const load = vi.fn(async () => '{"totals":1}');
    await cache.namespaces.stats.getOrLoad(['usage', 'u1', '30d', 'all'], load);
    await cache.namespaces.stats.getOrLoad(['usage', 'u1', '30d', 'all'], load);
    await cache.namespaces.stats.getOrLoad(['usage', 'u1', '30d', 'all'], load);
    expect(await cache.namespaces.keys.get(['list', 'u1', ''])).toBeUndefined();

    expect(load).toHaveBeenCalledTimes(1);
    const counters = cache.counters();
    expect(counters.stats).toEqual({ hits: 2, misses: 1, stale: 0, hitRate: 2 / 3 });
    expect(counters.keys).toEqual({ hits: 0, misses: 1, stale: 0, hitRate: 0 });
    expect(counters.auth).toEqual({ hits: 0, misses: 0, stale: 0, hitRate: 0 });

    await cache.namespaces.stats.getOrLoad(['usage', 'u1', '30d', 'all'], load);
    const text = await metrics.registry.metrics();
    expect(text).toContain('kp_cache_hits_total{namespace="stats"} 3');
    expect(text).toContain('kp_cache_misses_total{namespace="stats"} 1');
    expect(text).toContain('kp_cache_misses_total{namespace="keys"} 1');
    expect(text).toContain('kp_cache_stale_total{namespace="stats"} 0');
  });

  it('stores entries under prefix:namespace:entity:id:extra as JSON, readable by another instance', async () => {
    const prefix = redisPrefix();
    const a = await redisCache(prefix);
    await a.namespaces.stats.getOrLoad(['usage', 'u1', '30d', 'all'], async () => 'S');
    await a.namespaces.keys.getOrLoad(['list', 'u1', 'q=a:b'], async () => 'K');
    await a.namespaces.crsDashboard.getOrLoad(['global'], async () => ({ data: { n: 1 } as never, fetchedAt: 't' }));

    expect(await redisKeys(`${prefix}:*`)).toEqual(
      [`${prefix}:crs:dashboard:global`, `${prefix}:keys:list:u1:q=a%3Ab`, `${prefix}:stats:usage:u1:30d:all`].sort(),
    );
    const raw = JSON.parse((await redis.get(`${prefix}:crs:dashboard:global`)) ?? 'null');
    expect(raw.value.v).toEqual({ data: { n: 1 }, fetchedAt: 't' });

    const b = await redisCache(prefix);
    const load = vi.fn(async () => 'other');
    expect(await b.namespaces.keys.getOrLoad(['list', 'u1', 'q=a:b'], load)).toEqual({ value: 'K', stale: false });
    expect(load).not.toHaveBeenCalled();
    expect(b.counters().keys.hits).toBe(1);
  });

  it('caches null as "not found"', async () => {
    const cache = await redisCache(redisPrefix());
    const load = vi.fn(async () => null);
    expect(await cache.namespaces.auth.getOrLoad(['session', 'abc'], load)).toEqual({ value: null, stale: false });
    expect(await cache.namespaces.auth.getOrLoad(['session', 'abc'], load)).toEqual({ value: null, stale: false });
    expect(load).toHaveBeenCalledTimes(1);
    expect(await cache.namespaces.auth.get(['session', 'abc'])).toBeNull();
    expect(await cache.namespaces.auth.get(['session', 'other'])).toBeUndefined();
  });

  it('sets, reads and deletes one entry in both tiers', async () => {
    const prefix = redisPrefix();
    const cache = await redisCache(prefix);
    await cache.namespaces.keys.set(['list', 'u1', ''], 'L');
    expect(await cache.namespaces.keys.get(['list', 'u1', ''])).toBe('L');
    expect(await redis.exists(`${prefix}:keys:list:u1:`)).toBe(1);
    await cache.namespaces.keys.delete(['list', 'u1', '']);
    expect(await cache.namespaces.keys.get(['list', 'u1', ''])).toBeUndefined();
    expect(await redis.exists(`${prefix}:keys:list:u1:`)).toBe(0);
  });

  it('makes 500 concurrent identical misses run the loader once', async () => {
    const cache = await redisCache(redisPrefix());
    let loads = 0;
    const load = async () => {
      loads++;
      await new Promise((r) => setTimeout(r, 20));
      return 'once';
    };
    const results = await Promise.all(
      Array.from({ length: 500 }, () => cache.namespaces.stats.getOrLoad(['usage', 'u1', '90d', 'all'], load)),
    );
    expect(loads).toBe(1);
    expect(new Set(results.map((r) => r.value))).toEqual(new Set(['once']));
    expect(cache.counters().stats).toMatchObject({ misses: 1, hits: 499 });
  });
  it('shares a failing load between concurrent callers instead of running it once per caller', async () => {
    const cache = await redisCache(redisPrefix());
    const error = new AppError('upstream_unavailable', 'database down');
    let loads = 0;
    const load = async () => {
      loads++;
      await new Promise((r) => setTimeout(r, 20));
      throw error;
    };
    const outcomes = await Promise.allSettled(
      Array.from({ length: 200 }, () => cache.namespaces.keys.getOrLoad(['list', 'u1', ''], load)),
    );
    expect(loads).toBe(1);
    expect(outcomes.every((o) => o.status === 'rejected' && o.reason === error)).toBe(true);
    expect(cache.counters().keys).toMatchObject({ hits: 0, misses: 200 });
  });
});

describe('cache over Redis: invalidation', () => {
  it("invalidateUser drops exactly that user's entries, in memory and in Redis", async () => {
    const prefix = redisPrefix();
    const cache = await redisCache(prefix);
    const load = vi.fn(async () => 'v');
    await cache.namespaces.stats.getOrLoad(['usage', 'u1', '30d', 'all'], load, { userId: 'u1' });
    await cache.namespaces.keys.getOrLoad(['list', 'u1', ''], load, { userId: 'u1' });
    await cache.namespaces.auth.set(['session', 'h1'], null, { userId: 'u1' });
    await cache.namespaces.stats.getOrLoad(['usage', 'u2', '30d', 'all'], load, { userId: 'u2' });
    await cache.namespaces.stats.getOrLoad(['usage', 'u10', '30d', 'all'], load, { userId: 'u10' });
    expect(await redisKeys(`${prefix}:*:*u1:*`)).toHaveLength(2);

    await cache.invalidateUser('u1');

    expect(await redisKeys(`${prefix}:*`)).toEqual(
      [
        `${prefix}:_tag:user:u10`,
        `${prefix}:_tag:user:u2`,
        `${prefix}:stats:usage:u10:30d:all`,
        `${prefix}:stats:usage:u2:30d:all`,
      ].sort(),
    );
    // get() reads memory first: undefined means the memory tier dropped them too.
    expect(await cache.namespaces.stats.get(['usage', 'u1', '30d', 'all'])).toBeUndefined();
    expect(await cache.namespaces.keys.get(['list', 'u1', ''])).toBeUndefined();
    expect(await cache.namespaces.auth.get(['session', 'h1'])).toBeUndefined();
    load.mockClear();
    await cache.namespaces.stats.getOrLoad(['usage', 'u2', '30d', 'all'], load, { userId: 'u2' });
    await cache.namespaces.stats.getOrLoad(['usage', 'u10', '30d', 'all'], load, { userId: 'u10' });
    expect(load).not.toHaveBeenCalled();
    await cache.namespaces.stats.getOrLoad(['usage', 'u1', '30d', 'all'], load, { userId: 'u1' });
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('tags an entry from its loaded value when the scope is a function of it', async () => {
    const prefix = redisPrefix();
    const cache = await redisCache(prefix);
    const session = { sessionId: 's1', tokenHash: 'h1', user: { id: 'u7' } } as never;
    const scope = vi.fn((v: { user: { id: string } } | null) => (v ? { userId: v.user.id } : undefined));
    await cache.namespaces.auth.getOrLoad(['h1'], async () => session, scope);
    await cache.namespaces.auth.getOrLoad(['h2'], async () => null, scope);
    await cache.namespaces.auth.getOrLoad(['h1'], async () => session, scope); // a hit: the scope is not computed again
    expect(scope).toHaveBeenCalledTimes(2);

    await cache.invalidateUser('u7');

    expect(await cache.namespaces.auth.get(['h1'])).toBeUndefined();
    expect(await cache.namespaces.auth.get(['h2'])).toBeNull();
    expect(await redisKeys(`${prefix}:auth:*`)).toEqual([`${prefix}:auth:h2`]);
  });

  it('does not put back an entry deleted while it was being loaded (a session revoked mid-read)', async () => {
    const prefix = redisPrefix();
    const cache = await redisCache(prefix);
    const slow = deferred<null>();
    const pending = cache.namespaces.auth.getOrLoad(['h1'], () => slow.promise);
    await new Promise((r) => setTimeout(r, 10)); // the load is running
    await cache.namespaces.auth.delete(['h1']);
    slow.resolve(null);

    expect(await pending).toEqual({ value: null, stale: false });
    await new Promise((r) => setTimeout(r, 5));
    expect(await cache.namespaces.auth.get(['h1'])).toBeUndefined();
    expect(await redis.exists(`${prefix}:auth:h1`)).toBe(0);
  });

  it('invalidateKey drops the entries tagged with that key, whatever their namespace', async () => {
    const prefix = redisPrefix();
    const cache = await redisCache(prefix);
    const fetched = { data: [], fetchedAt: 't' };
    await cache.namespaces.crsKeyStats.set(['k1', 'models'], fetched, { keyId: 'k1' });
    await cache.namespaces.stats.set(['usage', 'u1', '30d', 'k1'], 'one', { userId: 'u1', keyId: 'k1' });
    await cache.namespaces.stats.set(['usage', 'u1', '30d', 'k2'], 'two', { userId: 'u1', keyId: 'k2' });
    await cache.namespaces.stats.set(['usage', 'u1', '30d', 'all'], 'all', { userId: 'u1' });

    await cache.invalidateKey('k1');

    expect(await cache.namespaces.crsKeyStats.get(['k1', 'models'])).toBeUndefined();
    expect(await cache.namespaces.stats.get(['usage', 'u1', '30d', 'k1'])).toBeUndefined();
    expect(await cache.namespaces.stats.get(['usage', 'u1', '30d', 'k2'])).toBe('two');
    expect(await cache.namespaces.stats.get(['usage', 'u1', '30d', 'all'])).toBe('all');
    expect(await redisKeys(`${prefix}:stats:*`)).toEqual([
      `${prefix}:stats:usage:u1:30d:all`,
      `${prefix}:stats:usage:u1:30d:k2`,
    ]);
    expect(await redisKeys(`${prefix}:crs:*`)).toEqual([]);
  });

  it('invalidateNamespace purges with SCAN (never KEYS) and leaves other namespaces and prefixes alone', async () => {
    const prefix = redisPrefix();
    const other = redisPrefix();
    const cache = await redisCache(prefix);
    const neighbour = await redisCache(other);
    for (const u of ['u1', 'u2', 'u3']) await cache.namespaces.stats.set(['usage', u, '7d', 'all'], u, { userId: u });
    await cache.namespaces.keys.set(['list', 'u1', ''], 'L');
    await neighbour.namespaces.stats.set(['usage', 'u1', '7d', 'all'], 'theirs');

    const monitor = await redis.monitor();
    const commands: string[][] = [];
    monitor.on('monitor', (_time: string, args: string[]) => commands.push(args.map(String)));
    const deleted = await cache.invalidateNamespace('stats');
    await redis.ping(); // MONITOR output of the purge arrives before this reply
    monitor.disconnect();

    expect(deleted).toBe(3);
    expect(await redisKeys(`${prefix}:stats:*`)).toEqual([]);
    expect(await redisKeys(`${prefix}:keys:*`)).toEqual([`${prefix}:keys:list:u1:`]);
    expect(await redisKeys(`${other}:stats:*`)).toEqual([`${other}:stats:usage:u1:7d:all`]);
    const ours = commands.filter((c) => c.some((arg) => arg.includes(prefix)));
    expect(ours.some((c) => c[0].toLowerCase() === 'scan')).toBe(true);
    expect(ours.some((c) => c[0].toLowerCase() === 'keys')).toBe(false);
    expect(await cache.namespaces.stats.get(['usage', 'u1', '7d', 'all'])).toBeUndefined();
    expect(await cache.namespaces.keys.get(['list', 'u1', ''])).toBe('L');
  });

  it('does not keep a value loaded while its user was invalidated', async () => {
    const prefix = redisPrefix();
    const cache = await redisCache(prefix);
    const slow = deferred<string>();
    const pending = cache.namespaces.stats.getOrLoad(['usage', 'u1', '30d', 'all'], () => slow.promise, {
      userId: 'u1',
    });
    await new Promise((r) => setTimeout(r, 10)); // the load is running
    await cache.invalidateUser('u1');
    slow.resolve('before the change');

    expect(await pending).toEqual({ value: 'before the change', stale: false });
    expect(await redis.exists(`${prefix}:stats:usage:u1:30d:all`)).toBe(0);
    const load = vi.fn(async () => 'after the change');
    await new Promise((r) => setTimeout(r, 5)); // past the 1 ms the entry was kept for the waiting callers
    expect(await cache.namespaces.stats.getOrLoad(['usage', 'u1', '30d', 'all'], load, { userId: 'u1' })).toEqual({
      value: 'after the change',
      stale: false,
    });
    expect(load).toHaveBeenCalledTimes(1);
  });
});

describe('cache over Redis: grace periods', () => {
  it('serves the last good value when the loader fails after the TTL (stale only when old)', async () => {
    const cache = await redisCache(redisPrefix());
    await cache.namespaces.stats.getOrLoad(['usage', 'u1', '30d', 'all'], async () => 'good');
    const fetched = { data: {} as never, fetchedAt: 'then' };
    await cache.namespaces.crsDashboard.getOrLoad(['global'], async () => fetched);
    advanceClock(61_000);

    const failing = vi.fn(async () => {
      throw new AppError('upstream_unavailable', 'database down');
    });
    // A database-backed answer is dropped whenever its data changes: a graced one is not old (the sync's
    // freshness says how old the numbers are); a CRS answer past its TTL is.
    expect(await cache.namespaces.stats.getOrLoad(['usage', 'u1', '30d', 'all'], failing)).toEqual({
      value: 'good',
      stale: false,
    });
    expect(
      await cache.namespaces.crsDashboard.getOrLoad(['global'], async () => {
        throw new AppError('upstream_unavailable', 'CRS down');
      }),
    ).toEqual({ value: fetched, stale: true });
    expect(failing).toHaveBeenCalledTimes(1);
    // During the back-off that follows, the last good value is served without calling the loader.
    expect(await cache.namespaces.stats.getOrLoad(['usage', 'u1', '30d', 'all'], failing)).toEqual({
      value: 'good',
      stale: false,
    });
    expect(failing).toHaveBeenCalledTimes(1);
    // get() only answers fresh values.
    expect(await cache.namespaces.stats.get(['usage', 'u1', '30d', 'all'])).toBeUndefined();
    // The first load and the get() are misses; both graced answers are stale.
    expect(cache.counters().stats).toMatchObject({ hits: 0, misses: 2, stale: 2 });
  });

  it("propagates the loader's error in a namespace without grace", async () => {
    const cache = await redisCache(redisPrefix());
    await cache.namespaces.keys.getOrLoad(['list', 'u1', ''], async () => 'good');
    advanceClock(61_000);

    const error = new AppError('upstream_unavailable', 'database down');
    await expect(
      cache.namespaces.keys.getOrLoad(['list', 'u1', ''], async () => {
        throw error;
      }),
    ).rejects.toBe(error);
    // Nothing was cached by the failure: the next read loads again.
    expect(await cache.namespaces.keys.getOrLoad(['list', 'u1', ''], async () => 'again')).toEqual({
      value: 'again',
      stale: false,
    });
  });

  it('answers with the last good value when the loader is slower than the soft timeout, then refreshes', async () => {
    const cache = await redisCache(redisPrefix());
    await cache.namespaces.stats.getOrLoad(['usage', 'u1', '30d', 'all'], async () => 'old');
    advanceClock(61_000);

    const slow = deferred<string>();
    const load = vi.fn(() => slow.promise);
    // Slow is not old: the answer is not marked stale (issue 11, point 6); it counts as a graced read.
    expect(await cache.namespaces.stats.getOrLoad(['usage', 'u1', '30d', 'all'], load)).toEqual({
      value: 'old',
      stale: false,
    });
    expect(cache.counters().stats.stale).toBe(1);

    slow.resolve('new'); // the load went on in the background
    await vi.waitFor(async () => expect(await cache.namespaces.stats.get(['usage', 'u1', '30d', 'all'])).toBe('new'));
    expect(await cache.namespaces.stats.getOrLoad(['usage', 'u1', '30d', 'all'], load)).toEqual({
      value: 'new',
      stale: false,
    });
    expect(load).toHaveBeenCalledTimes(1);
  });
});
