import { Redis } from 'ioredis';
import type { EmulatorStore } from '../store.js';
import { keyWrites } from './key-writes.js';
import { usageWrites } from './usage-writes.js';
import { QueuedWrites } from './writer.js';

export interface CrsRedisMirror {
  /** Resolves when every write so far has been answered (the HTTP server waits for it before each answer). */
  settled(): Promise<void>;
  /** Resolves when every write so far is in Redis; rejects with the first failed write since the last flush. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The emulator's Redis mode: from now on, every key change and usage event of `store` is also written to the
 * Redis at `url` exactly as CRS 1.1.314 lays it out (docs/crs.md §9), so that a direct reader of CRS's Redis can
 * be tested against the emulator's admin API. The emulator keeps answering from memory; Redis is a mirror.
 * State that exists before attaching (a loaded data file) is not copied.
 */
export async function mirrorToRedis(store: EmulatorStore, url: string): Promise<CrsRedisMirror> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2, connectionName: 'crs-emulator' });
  redis.on('error', () => {}); // failures surface through flush()
  await redis.connect();
  const w = new QueuedWrites(redis, store.now);
  store.usage.sink = usageWrites(w, store.tz);
  store.keys.sink = keyWrites(w);
  return {
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
