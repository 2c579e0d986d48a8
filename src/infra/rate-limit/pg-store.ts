import { inArray, lt, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { rateLimits } from '../db/schema.js';
import { type CounterStore, type Hit, live, type WindowCount } from './types.js';

/**
 * The same counters in PostgreSQL (PGlite in the demo): one upsert per hit, atomic under concurrency because the
 * conflicting row is locked and re-read by ON CONFLICT. `excluded.last_at` is the caller's `now`.
 */
export function pgCounterStore(db: Db): CounterStore & { purge(now: number): Promise<number> } {
  const expired = sql`${rateLimits.resetAt} <= excluded.last_at`;
  const upsert = (hits: readonly Hit[], now: number, sliding: boolean) =>
    db
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

  const toCount = (r: typeof rateLimits.$inferSelect): WindowCount => ({
    count: r.count,
    resetAt: r.resetAt.getTime(),
    lastAt: r.lastAt.getTime(),
  });

  return {
    async read(keys, now) {
      if (!keys.length) return [];
      const rows = await db
        .select()
        .from(rateLimits)
        .where(inArray(rateLimits.key, [...keys]));
      const byKey = new Map(rows.map((r) => [r.key, toCount(r)]));
      return keys.map((key) => live(byKey.get(key), now));
    },
    async hit(hits, now) {
      const groups = [false, true].map((sliding) => hits.filter((h) => Boolean(h.sliding) === sliding));
      const rows = (
        await Promise.all(groups.map((g, i) => (g.length ? upsert(g, now, i === 1) : Promise.resolve([]))))
      ).flat();
      const byKey = new Map(rows.map((r) => [r.key, toCount(r)]));
      return hits.map((h) => byKey.get(h.key) ?? { count: 1, resetAt: now + h.windowMs, lastAt: now });
    },
    async reset(keys) {
      if (keys.length) await db.delete(rateLimits).where(inArray(rateLimits.key, [...keys]));
    },
    async purge(now) {
      const rows = await db
        .delete(rateLimits)
        .where(lt(rateLimits.resetAt, new Date(now)))
        .returning({ key: rateLimits.key });
      return rows.length;
    },
  };
}
