import { mirrorToRedis, type SnapshotReport } from '../../src/crs-emulator/index.js';
import { RedisServer } from '../../tests/support/redis-server.js';
import type { BenchEmulator } from './emulator.js';
import { onCleanup } from './procs.js';

export interface CrsRedis {
  /** For the portal's CRS_REDIS_URL. */
  url: string;
  snapshot: SnapshotReport;
  stop(): Promise<void>;
}

/**
 * CRS's Redis for the direct reader (decision 022): a throwaway Redis of its own, filled with the bench emulator's
 * current state in CRS's layout by the bulk snapshot (src/crs-emulator/crs-redis/snapshot.ts), then kept in step
 * by the emulator's Redis mode (relay traffic after it is mirrored command by command). Call it after seeding,
 * while no traffic runs: a change during the snapshot fails it. Request logs are left out by default (`records`):
 * no sync reads them, and at 100,000 keys they are gigabytes of Redis memory. `readerDays`: only what the portal's
 * direct reader reads of the last N days (the whole layout of 100,000 keys × 30 days is ~20 M keys, ~7 GB, minutes
 * to write).
 */
export async function startCrsRedis(
  emulator: BenchEmulator,
  opts: { records?: boolean; readerDays?: number } = {},
): Promise<CrsRedis> {
  const server = await RedisServer.start();
  onCleanup('crs redis', () => server.stop());
  try {
    const mirror = await mirrorToRedis(emulator.store, server.url, {
      snapshot: true,
      records: opts.records ?? false,
      readerDays: opts.readerDays,
    });
    return {
      url: server.url,
      snapshot: mirror.snapshot as SnapshotReport,
      async stop() {
        await mirror.close();
        await server.stop();
      },
    };
  } catch (e) {
    await server.stop();
    throw e;
  }
}
