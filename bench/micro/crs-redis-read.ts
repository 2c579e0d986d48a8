/**
 * Micro-benchmark of the direct reader of CRS's Redis (src/infra/crs-redis/, docs/decisions/022) at scale (not a
 * test): a throwaway Redis is filled, in CRS 1.1.314's layout (docs/crs.md §9), with what the reader reads for
 * `keys` keys of which `used` have usage on each of the last two CRS days — key hashes and CRS's id index,
 * lifetime counters and cost, day indexes, day buckets and per-model day buckets — written in bulk (the emulator's
 * own Redis mode writes command for command, as CRS does: ~1 minute per 5,000 keys). Then both reads of a sync
 * cycle, the lifetime totals and the 2-day trend, are timed `rounds` times, with the reader's peak heap.
 *
 *   node --expose-gc --import tsx bench/micro/crs-redis-read.ts [keys=100000] [used=40000] [rounds=3]
 */
import type { FastifyBaseLogger } from 'fastify';
import { Redis } from 'ioredis';
import { connectCrsRedis } from '../../src/infra/crs-redis/connection.js';
import { readKeysTrend } from '../../src/infra/crs-redis/keys-trend.js';
import { streamUsageStats } from '../../src/infra/crs-redis/usage-stats.js';
import { RedisServer } from '../../tests/support/redis-server.js';

const KEYS = Number(process.argv[2] ?? 100_000);
const USED = Number(process.argv[3] ?? Math.round(KEYS * 0.4));
const ROUNDS = Number(process.argv[4] ?? 3);
const TZ = 8;
const DAY_MS = 86_400_000;
const MODELS = ['claude-sonnet-4-20250514', 'claude-opus-4-1-20250805'];

const id = (i: number) => `${i.toString(16).padStart(8, '0')}-4a2a-4639-8f44-aabe17489428`;
const crsDate = (ms: number) => new Date(ms + TZ * 3_600_000).toISOString().slice(0, 10);

async function fill(redis: Redis, now: number): Promise<void> {
  const days = [crsDate(now - DAY_MS), crsDate(now)];
  const BATCH = 2000;
  for (let from = 0; from < KEYS; from += BATCH) {
    const p = redis.pipeline();
    for (let i = from; i < Math.min(KEYS, from + BATCH); i++) {
      const k = id(i);
      p.hset(`apikey:${k}`, { id: k, name: `portal-key-${i}`, isDeleted: 'false', isActive: 'true' });
      p.sadd('apikey:idx:all', k);
      const used = i < USED;
      const requests = used ? 10 + (i % 50) : 0;
      p.hset(`usage:${k}`, {
        totalRequests: requests,
        totalInputTokens: requests * 1000,
        totalOutputTokens: requests * 400,
        totalCacheCreateTokens: requests * 50,
        totalCacheReadTokens: requests * 2000,
        totalAllTokens: requests * 3450,
      });
      if (used) p.set(`usage:cost:total:${k}`, String(requests * 0.0123));
      if (!used) continue;
      for (const d of days) {
        p.sadd(`usage:daily:index:${d}`, k);
        p.hset(`usage:daily:${k}:${d}`, {
          requests: 5,
          allTokens: 5 * 3450,
          inputTokens: 5000,
          outputTokens: 2000,
          cacheCreateTokens: 250,
          cacheReadTokens: 10_000,
        });
        const model = MODELS[i % MODELS.length];
        p.sadd(`usage:keymodel:daily:index:${d}`, `${k}:${model}`);
        p.hset(`usage:${k}:model:daily:${model}:${d}`, { requests: 5, ratedCostMicro: 61_500 });
      }
    }
    await p.exec();
  }
  await redis.set('apikey:index:version', '2');
  await redis.hset('usage:global:total', { requests: USED * 30 });
  for (const d of days) await redis.hset(`usage:global:daily:${d}`, { requests: USED * 5 });
}

const silent = { child: () => silent, warn() {}, info() {}, debug() {}, error() {} } as unknown as FastifyBaseLogger;

const server = await RedisServer.start();
try {
  const admin = new Redis(server.url);
  const now = Date.now();
  let t = performance.now();
  await fill(admin, now);
  console.log(`${KEYS} keys (${USED} used on 2 days) written in ${Math.round(performance.now() - t)} ms`);
  await admin.quit();
  const reads = connectCrsRedis({ url: server.url, timeoutMs: 10_000, logger: silent });
  for (let r = 1; r <= ROUNDS; r++) {
    // With --expose-gc the peak is the reader's own working set; without, it includes garbage not yet collected.
    (globalThis as { gc?: () => void }).gc?.();
    let heap = process.memoryUsage().heapUsed;
    const peak = () => {
      heap = Math.max(heap, process.memoryUsage().heapUsed);
    };
    let totals = 0;
    t = performance.now();
    await streamUsageStats(reads, {
      write: (batch) => {
        totals += batch.length;
        peak();
      },
    });
    const totalsMs = performance.now() - t;
    let entries = 0;
    t = performance.now();
    await readKeysTrend(reads, { days: 2, now, timezoneOffset: TZ }, (batch) => {
      entries += batch.length;
      peak();
    });
    const trendMs = performance.now() - t;
    console.log(
      `round ${r}: totals ${totals} keys in ${Math.round(totalsMs)} ms; 2-day trend ${entries} entries in ` +
        `${Math.round(trendMs)} ms; peak heap ${Math.round(heap / 2 ** 20)} MB`,
    );
  }
  await reads.close();
} finally {
  await server.stop();
}
