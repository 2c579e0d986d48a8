import { createHash } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';
import type { Db } from '../db/client.js';
import { pgCounterStore } from './pg-store.js';
import { redisCounterStore } from './redis-store.js';
import { type CounterStore, ZERO } from './types.js';

export type { CounterStore, Hit, WindowCount } from './types.js';

export interface SharedCounters extends CounterStore {
  /** Drops the database's ended windows (the housekeeping job); Redis expires its own. */
  purge(now: number): Promise<number>;
}

/** How often a failing store is reported in the log while it keeps failing. */
const REPORT_EVERY_MS = 60_000;

/**
 * Rate-limit counters shared by every instance (docs/decisions/014): Redis when configured, PostgreSQL when Redis
 * is absent or fails (a request never waits for a dead Redis: its client fails fast), and when both fail the
 * limiter lets the request through — a limiter must never be the reason a sign-in fails. Keys are hashed, so
 * neither store holds the e-mail addresses or IPs that are counted.
 */
export function sharedCounters(opts: {
  db: Db;
  redis?: { redis: Redis; prefix: string };
  logger: FastifyBaseLogger;
}): SharedCounters {
  const pg = pgCounterStore(opts.db);
  const redis = opts.redis && redisCounterStore(opts.redis.redis, opts.redis.prefix);
  const reported = { redis: 0, pg: 0 };
  const report = (store: 'redis' | 'pg', err: unknown) => {
    const now = Date.now();
    if (now - reported[store] < REPORT_EVERY_MS) return;
    reported[store] = now;
    opts.logger.warn(
      { err: { message: (err as Error).message }, store },
      store === 'redis'
        ? 'rate-limit counters: Redis failed, using PostgreSQL'
        : 'rate-limit counters unavailable: requests are not limited',
    );
  };

  async function run<T>(op: (s: CounterStore) => Promise<T>, fallback: T): Promise<T> {
    if (redis && opts.redis?.redis.status === 'ready') {
      try {
        return await op(redis);
      } catch (err) {
        report('redis', err);
      }
    }
    try {
      return await op(pg);
    } catch (err) {
      report('pg', err);
      return fallback;
    }
  }

  return {
    read: (keys, now) =>
      run(
        (s) => s.read(keys.map(hashKey), now),
        keys.map(() => ZERO),
      ),
    hit: (hits, now) =>
      run(
        (s) =>
          s.hit(
            hits.map((h) => ({ ...h, key: hashKey(h.key) })),
            now,
          ),
        hits.map(() => ZERO),
      ),
    reset: (keys) => run((s) => s.reset(keys.map(hashKey)), undefined),
    purge: (now) => pg.purge(now),
  };
}

function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('base64url').slice(0, 32);
}
