import { Redis } from 'ioredis';
import type { EmulatorStore } from '../store.js';
import { keyWrites } from './key-writes.js';
import { type SnapshotOptions, type SnapshotReport, snapshotToRedis } from './snapshot.js';
import { usageWrites } from './usage-writes.js';
import { QueuedWrites } from './writer.js';

export type { RedisTarget, SnapshotOptions, SnapshotReport } from './snapshot.js';
export { snapshotToRedis } from './snapshot.js';

export interface CrsRedisMirror {
  /** Resolves when every write so far has been answered (the HTTP server waits for it before each answer). */
  settled(): Promise<void>;
  /** Resolves when every write so far is in Redis; rejects with the first failed write since the last flush. */
  flush(): Promise<void>;
  close(): Promise<void>;
  /** The snapshot taken before the mirror was attached, when one was asked for. */
  snapshot?: SnapshotReport;
}

export interface MirrorOptions extends SnapshotOptions {
  /** First copy the store's current state (snapshot.ts), then mirror what happens after. */
  snapshot?: boolean;
}

/**
 * The emulator's Redis mode: from now on, every key change and usage event of `store` is also written to the
 * Redis at `url` exactly as CRS 1.1.314 lays it out (docs/crs.md §9), so that a direct reader of CRS's Redis can
 * be tested against the emulator's admin API. The emulator keeps answering from memory; Redis is a mirror.
 * With `snapshot`, the state the store already holds (a loaded data file, a seeded benchmark) is written first,
 * in bulk, into an empty database; without it, only what happens from now on reaches Redis.
 */
export async function mirrorToRedis(
  store: EmulatorStore,
  url: string,
  opts: MirrorOptions = {},
): Promise<CrsRedisMirror> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2, connectionName: 'crs-emulator' });
  redis.on('error', () => {}); // failures surface through flush()
  await redis.connect();
  let snapshot: SnapshotReport | undefined;
  if (opts.snapshot) {
    try {
      snapshot = await snapshotToRedis(store, url, opts);
    } catch (e) {
      redis.disconnect();
      throw e;
    }
  }
  // Attached in the same turn as the snapshot's end: nothing can change the store in between.
  const w = new QueuedWrites(redis, store.now);
  store.usage.sink = usageWrites(w, store.tz);
  store.keys.sink = keyWrites(w, opts.snapshot ? store.keys.keys.values() : []);
  return {
    snapshot,
    settled: () => w.settled(),
    flush: () => w.flush(),
    async close() {
      store.usage.sink = undefined;
      store.keys.sink = undefined;
      await w.flush().catch(() => {});
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
