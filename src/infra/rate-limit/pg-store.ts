import type { Db } from '../db/client.js';
import { type CounterRow, deleteCounters, hitCounters, purgeCounters, readCounters } from '../db/repos/rate-limits.js';
import { type CounterStore, live, type WindowCount } from './types.js';

/** The same counters in PostgreSQL (PGlite in the demo), through their repository. */
export function pgCounterStore(db: Db): CounterStore & { purge(now: number): Promise<number> } {
  const toCount = (r: CounterRow): WindowCount => ({
    count: r.count,
    resetAt: r.resetAt.getTime(),
    lastAt: r.lastAt.getTime(),
  });

  return {
    async read(keys, now) {
      if (!keys.length) return [];
      const byKey = new Map((await readCounters(db, keys)).map((r) => [r.key, toCount(r)]));
      return keys.map((key) => live(byKey.get(key), now));
    },
    async hit(hits, now) {
      const groups = [false, true].map((sliding) => hits.filter((h) => Boolean(h.sliding) === sliding));
      const rows = (
        await Promise.all(groups.map((g, i) => (g.length ? hitCounters(db, g, now, i === 1) : Promise.resolve([]))))
      ).flat();
      const byKey = new Map(rows.map((r) => [r.key, toCount(r)]));
      return hits.map((h) => byKey.get(h.key) ?? { count: 1, resetAt: now + h.windowMs, lastAt: now });
    },
    async reset(keys) {
      if (keys.length) await deleteCounters(db, keys);
    },
    purge: (now) => purgeCounters(db, now),
  };
}
