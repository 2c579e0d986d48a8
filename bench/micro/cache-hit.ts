/**
 * Micro-benchmark of the portal cache (not a test): ns per read, one read at a time, as a request handler does
 * it — the synchronous warm read (docs/decisions/008), the awaited hit, a miss (load and store) and, with
 * REDIS_URL, a read another instance's entry answers from Redis. docs/decisions/021 has the figures, and those
 * of bentocache 1.6, which this cache replaced.
 *
 *   npx tsx bench/micro/cache-hit.ts                                      # memory tier only
 *   REDIS_URL=redis://127.0.0.1:6379 npx tsx bench/micro/cache-hit.ts     # with L2 + bus
 *   ONLY=hit|miss …                                                       # one group of rows
 */
import { LRUCache } from 'lru-cache';
import pino from 'pino';
import { ReadCount } from '../../src/infra/cache/counters.js';
import { createCache } from '../../src/infra/cache/index.js';
import { createMetrics } from '../../src/infra/metrics/metrics.js';
import { ITERATIONS, measureSync, ROUNDS, report } from './ns-per-op.js';

const ONLY = process.env.ONLY;
// A pre-serialised stats answer of a realistic size (30 days × a few fields).
const BODY = JSON.stringify({
  days: Array.from({ length: 30 }, (_, i) => ({ day: `2025-01-${i + 1}`, requests: i * 7, tokens: i * 1234 })),
});

async function measure(name: string, op: () => Promise<unknown>, n = ITERATIONS): Promise<void> {
  for (let i = 0; i < Math.min(20_000, n); i++) await op(); // warm-up (JIT)
  const samples: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) await op();
    samples.push(Number(process.hrtime.bigint() - start) / n);
  }
  report(name, samples);
}

async function main() {
  const redisUrl = process.env.REDIS_URL;
  console.log(`value: ${BODY.length} bytes string; ${ITERATIONS} reads × ${ROUNDS} rounds (median)`);
  console.log(`Redis: ${redisUrl ? 'yes' : 'no'}\n`);
  const metrics = createMetrics();
  const make = (prefix = `bench${process.pid}`) =>
    createCache({ redisUrl, prefix, metrics, logger: pino({ level: 'silent' }) });
  const cache = await make();
  const { entries } = cache;
  const load = async () => BODY;
  const range = { from: '2025-01-01', to: '2025-01-30' };

  if (!ONLY || ONLY === 'hit') {
    const lru = new LRUCache<string, string>({ max: 10_000 });
    lru.set('k', BODY);
    measureSync('baseline: lru-cache get (sync)', () => lru.get('k'));
    await entries.usage({ userId: 'u1', range }).getOrLoad(load);
    await entries.session('h').getOrLoad(async () => null);
    measureSync('portal: usage entry peek hit (sync)', () => entries.usage({ userId: 'u1', range }).peek());
    await measure('portal: usage entry getOrLoad hit (awaited)', () =>
      entries.usage({ userId: 'u1', range }).getOrLoad(load),
    );
    measureSync('portal: hot request, session peek + usage peek (sync)', () => {
      entries.session('h').peek();
      return entries.usage({ userId: 'u1', range }).peek();
    });
  }
  if (!ONLY || ONLY === 'miss') {
    // Through Redis a miss is a network round trip or two: fewer of them.
    const n = redisUrl ? 2_000 : 20_000;
    let i = 0;
    await measure(
      'portal: usage entry miss (load + store)',
      () => entries.usage({ userId: `m${i++}`, range }).getOrLoad(load),
      n,
    );
    if (redisUrl) {
      // A second instance reads what the first one stored: memory miss, Redis hit.
      const writer = await make(`bench${process.pid}l2`);
      const reader = await make(`bench${process.pid}l2`);
      for (let j = 0; j < n * (ROUNDS + 1); j++) await writer.entries.usage({ userId: `l${j}`, range }).getOrLoad(load);
      let j = 0;
      await measure(
        'portal: usage entry L2 hit (memory miss, Redis hit)',
        () => reader.entries.usage({ userId: `l${j++}`, range }).getOrLoad(load),
        n,
      );
      await writer.invalidateNamespace('stats');
      await writer.close();
      await reader.close();
    }
  }
  await cache.invalidateNamespace('stats');
  await cache.close();

  if (!ONLY || ONLY === 'hit') {
    await measure('prom-client counter.inc({namespace})', async () => metrics.cacheHits.inc({ namespace: 'stats' }));
    const count = new ReadCount();
    measureSync('ReadCount field increment (what a hit pays)', () => {
      count.hits++;
      return count;
    });
  }
}

await main();
