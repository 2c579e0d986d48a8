import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '../../src/domain/errors.js';
import { NAMESPACES } from '../../src/infra/cache/namespaces.js';
import { memoryCache } from '../helpers/cache.js';

/* The memory-only mode (no REDIS_URL): the embedded default. */
afterEach(() => {
  vi.useRealTimers();
});

describe('cache without Redis', () => {
  it('reports Redis as disabled', async () => {
    const cache = await memoryCache();
    expect(await cache.health()).toEqual({ redis: 'disabled' });
  });

  it('loads once, then answers from memory', async () => {
    const cache = await memoryCache();
    const load = vi.fn(async () => 'body');
    expect(await cache.namespaces.stats.getOrLoad(['usage', 'u1', '7d', 'all'], load)).toEqual({
      value: 'body',
      stale: false,
    });
    expect(await cache.namespaces.stats.getOrLoad(['usage', 'u1', '7d', 'all'], load)).toEqual({
      value: 'body',
      stale: false,
    });
    expect(load).toHaveBeenCalledTimes(1);
    expect(cache.counters().stats).toEqual({ hits: 1, misses: 1, stale: 0, hitRate: 0.5 });
  });

  it('invalidates a user, a key and a namespace in memory', async () => {
    const cache = await memoryCache();
    const load = vi.fn(async () => 'v');
    await cache.namespaces.stats.getOrLoad(['usage', 'u1', '7d', 'k1'], load, { userId: 'u1', keyId: 'k1' });
    await cache.namespaces.stats.getOrLoad(['usage', 'u2', '7d', 'k2'], load, { userId: 'u2', keyId: 'k2' });
    await cache.namespaces.keys.getOrLoad(['list', 'u2', ''], load, { userId: 'u2' });

    await cache.invalidateKey('k1');
    expect(await cache.namespaces.stats.get(['usage', 'u1', '7d', 'k1'])).toBeUndefined();
    expect(await cache.namespaces.stats.get(['usage', 'u2', '7d', 'k2'])).toBe('v');

    await cache.invalidateUser('u2');
    expect(await cache.namespaces.stats.get(['usage', 'u2', '7d', 'k2'])).toBeUndefined();
    expect(await cache.namespaces.keys.get(['list', 'u2', ''])).toBeUndefined();

    await cache.namespaces.stats.set(['usage', 'u3', '7d', 'all'], 'w');
    await cache.namespaces.auth.set(['session', 'h'], null);
    expect(await cache.invalidateNamespace('stats')).toBe(0); // no Redis keys to count
    expect(await cache.namespaces.stats.get(['usage', 'u3', '7d', 'all'])).toBeUndefined();
    expect(await cache.namespaces.auth.get(['session', 'h'])).toBeNull();
  });

  it('hands out frozen values, and refuses undefined', async () => {
    const cache = await memoryCache();
    const { value } = await cache.namespaces.crsDashboard.getOrLoad(['global'], async () => ({
      data: { totals: [1, 2] } as never,
      fetchedAt: 'now',
    }));
    expect(Object.isFrozen(value)).toBe(true);
    expect(() => (value.data as unknown as { totals: number[] }).totals.push(3)).toThrow(TypeError);
    await expect(cache.namespaces.keys.set(['x'], undefined as unknown as string)).rejects.toThrow(TypeError);
    await expect(cache.namespaces.keys.getOrLoad(['y'], async () => undefined as unknown as string)).rejects.toThrow(
      /undefined/,
    );
  });

  it('fails a loader past the hard timeout with upstream_unavailable and frees the key for the next load', async () => {
    vi.useFakeTimers();
    const cache = await memoryCache();
    const hung = cache.namespaces.keys.getOrLoad(['list', 'u1', ''], () => new Promise<string>(() => {}));
    const outcome = hung.then(
      () => 'answered',
      (e: unknown) => e,
    );
    await vi.advanceTimersByTimeAsync(NAMESPACES.keys.hardTimeoutMs);
    const err = await outcome;
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('upstream_unavailable');

    const next = await cache.namespaces.keys.getOrLoad(['list', 'u1', ''], async () => 'fresh');
    expect(next).toEqual({ value: 'fresh', stale: false });
  });

  it('lets a caller join a load that goes on after the soft timeout, instead of loading again', async () => {
    const cache = await memoryCache();
    const { stats } = cache.namespaces;
    await stats.getOrLoad(['usage', 'u1'], async () => 'old');
    pastTtl();
    let finish!: (v: string) => void;
    const load = vi.fn(() => new Promise<string>((resolve) => (finish = resolve)));

    // Slower than the soft timeout: the last good value answers, and the load goes on.
    expect(await stats.getOrLoad(['usage', 'u1'], load)).toEqual({ value: 'old', stale: false });
    const second = stats.getOrLoad(['usage', 'u1'], load);
    finish('new');

    expect(await second).toEqual({ value: 'new', stale: false });
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('leaves a failing loader alone for 10 s after serving the last good value, however old that value', async () => {
    const cache = await memoryCache();
    const { stats } = cache.namespaces;
    await stats.getOrLoad(['usage', 'u1'], async () => 'good');
    pastTtl(5 * 60_000); // long past the TTL, still inside the 10-minute grace period
    const failing = vi.fn(async (): Promise<string> => {
      throw new AppError('upstream_unavailable', 'database down');
    });

    for (let i = 0; i < 3; i++) {
      expect(await stats.getOrLoad(['usage', 'u1'], failing)).toEqual({ value: 'good', stale: false });
    }
    expect(failing).toHaveBeenCalledTimes(1);
    pastTtl(11_000);
    expect(await stats.getOrLoad(['usage', 'u1'], failing)).toEqual({ value: 'good', stale: false });
    expect(failing).toHaveBeenCalledTimes(2);
  });
});

/** Moves the clock the cache reads (Date) past the stats TTL; timers stay real (the soft timeout). */
function pastTtl(ms = NAMESPACES.stats.ttlMs + 1000): void {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Date.now() + ms);
}
