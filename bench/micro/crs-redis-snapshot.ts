/**
 * Micro-benchmark of the emulator's bulk snapshot into CRS's Redis layout (src/crs-emulator/crs-redis/snapshot.ts;
 * not a test): an emulator store with `keys` keys, each with `days` days of seeded history at `perDay` requests a
 * day (the benchmark's large scale: 100,000 × 30 × 2), snapshotted into a throwaway Redis. Prints the seeding
 * time, the snapshot's time, commands and Redis keys, the process's peak heap and Redis's memory.
 *
 *   node --expose-gc --import tsx bench/micro/crs-redis-snapshot.ts [keys=100000] [days=30] [perDay=2] [records=1]
 *     [readerDays] (only what the portal's direct reader reads of the last N days, as the benchmark writes it)
 */
import { Redis } from 'ioredis';
import { EmulatorStore, snapshotToRedis } from '../../src/crs-emulator/index.js';
import { Tz } from '../../src/crs-emulator/time.js';
import { RedisServer } from '../../tests/support/redis-server.js';

const KEYS = Number(process.argv[2] ?? 100_000);
const DAYS = Number(process.argv[3] ?? 30);
const PER_DAY = Number(process.argv[4] ?? 2);
const RECORDS = process.argv[5] !== '0';
const READER_DAYS = process.argv[6] ? Number(process.argv[6]) : undefined;
const mb = (b: number) => Math.round(b / 2 ** 20);

const now = Date.now();
const store = new EmulatorStore(new Tz(8), () => now);
let t = performance.now();
for (let i = 0; i < KEYS; i++) {
  const { id } = store.createKey({ name: `portal-key-${i}`, tags: ['portal'] });
  store.seedHistory(id, { days: DAYS, requestsPerDay: PER_DAY, seed: i + 1 });
}
console.log(`${KEYS} keys × ${DAYS} days × ~${PER_DAY}/day seeded in ${Math.round(performance.now() - t)} ms`);

(globalThis as { gc?: () => void }).gc?.();
const base = process.memoryUsage().heapUsed;
let peak = base;
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().heapUsed);
}, 50);
const server = await RedisServer.start();
try {
  t = performance.now();
  const report = await snapshotToRedis(store, server.url, { records: RECORDS, readerDays: READER_DAYS });
  const ms = performance.now() - t;
  clearInterval(sampler);
  const redis = new Redis(server.url);
  const dbsize = await redis.dbsize();
  const used = /used_memory:(\d+)/.exec(await redis.info('memory'))?.[1];
  redis.disconnect();
  console.log(
    `snapshot${RECORDS ? '' : ' (without request records)'}: ${Math.round(ms)} ms, ${report.commands} commands, ` +
      `${dbsize} Redis keys (${mb(Number(used))} MB in Redis); heap before ${mb(base)} MB, peak ${mb(peak)} MB ` +
      `(+${mb(peak - base)} MB)`,
  );
} finally {
  clearInterval(sampler);
  await server.stop();
}
