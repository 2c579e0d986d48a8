import pino from 'pino';
import { afterEach, inject } from 'vitest';
import { type CacheOptions, createCache } from '../../src/infra/cache/index.js';
import type { CacheEngine } from '../../src/infra/cache/types.js';
import { createMetrics } from '../../src/infra/metrics/metrics.js';

/** Caches for the cache's own tests, each closed after its test: memory-only, or over a real Redis. */
const open: CacheEngine[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
});

export async function testCache(opts: Partial<CacheOptions> = {}): Promise<CacheEngine> {
  const cache = await createCache({ metrics: createMetrics(), logger: pino({ level: 'silent' }), ...opts });
  open.push(cache);
  return cache;
}

/** The memory-only mode (no REDIS_URL): the embedded default. */
export const memoryCache = (): Promise<CacheEngine> => testCache();

/** Over the run's real Redis, under `prefix` (instances with the same prefix share entries and the bus). */
export const redisCache = (prefix: string, opts: Partial<CacheOptions> = {}): Promise<CacheEngine> =>
  testCache({ redisUrl: inject('redisUrl'), prefix, ...opts });
