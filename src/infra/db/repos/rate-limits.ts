import { inArray, lt, sql } from 'drizzle-orm';
import type { Db } from '../client.js';
import { rateLimits } from '../schema.js';

/**
 * SQL of the rate-limit counters when Redis is absent or failing (docs/decisions/014): one upsert per hit, atomic
 * under concurrency because the conflicting row is locked and re-read by ON CONFLICT. `excluded.last_at` is the
 * caller's `now`. Keys arrive hashed (src/infra/rate-limit).
 */

export interface CounterRow {
  key: string;
  count: number;
  resetAt: Date;
  lastAt: Date;
}

export async function readCounters(db: Db, keys: readonly string[]): Promise<CounterRow[]> {
  return db
    .select()
    .from(rateLimits)
    .where(inArray(rateLimits.key, [...keys]));
}

const expired = sql`${rateLimits.resetAt} <= excluded.last_at`;

/**
 * Counts one hit per key: a window that has ended starts again at 1. A sliding window ends `windowMs` after every
 * hit; a fixed one keeps the end its first hit set.
 */
export async function hitCounters(
  db: Db,
  hits: ReadonlyArray<{ key: string; windowMs: number }>,
  now: number,
  sliding: boolean,
): Promise<CounterRow[]> {
  return db
    .insert(rateLimits)
    .values(hits.map((h) => ({ key: h.key, count: 1, resetAt: new Date(now + h.windowMs), lastAt: new Date(now) })))
    .onConflictDoUpdate({
      target: rateLimits.key,
      set: {
        count: sql`case when ${expired} then 1 else ${rateLimits.count} + 1 end`,
        resetAt: sliding
          ? sql`excluded.reset_at`
          : sql`case when ${expired} then excluded.reset_at else ${rateLimits.resetAt} end`,
        lastAt: sql`excluded.last_at`,
      },
    })
    .returning();
}

export async function deleteCounters(db: Db, keys: readonly string[]): Promise<void> {
  await db.delete(rateLimits).where(inArray(rateLimits.key, [...keys]));
}

/** Drops windows that ended before `now`; how many. */
export async function purgeCounters(db: Db, now: number): Promise<number> {
  const rows = await db
    .delete(rateLimits)
    .where(lt(rateLimits.resetAt, new Date(now)))
    .returning({ key: rateLimits.key });
  return rows.length;
}
