/**
 * Micro-benchmark of a memory-tier cache hit (not a test): ns per awaited read, one read at a time, as a request
 * handler does it. Compares bentocache's getOrSet hit (default memory driver, with and without tags, namespaced)
 * with the portal cache's synchronous hit path (src/infra/cache), and prom-client's labelled inc.
 *
 *   npx tsx bench/micro/cache-hit.ts            # memory tier only
 *   REDIS_URL=redis://127.0.0.1:6379 npx tsx bench/micro/cache-hit.ts   # with L2 + bus configured
 */
import { BentoCache, bentostore } from 'bentocache';
import { memoryDriver } from 'bentocache/drivers/memory';
import { LRUCache } from 'lru-cache';
import pino from 'pino';
import { ReadCount } from '../../src/infra/cache/counters.js';
import { createCache } from '../../src/infra/cache/index.js';
import { createMetrics } from '../../src/infra/metrics/metrics.js';

const ITERATIONS = Number(process.env.ITERATIONS ?? 200_000);
const ROUNDS = 5;
// A pre-serialised stats answer of a realistic size (30 days × a few fields).
const BODY = JSON.stringify({
  days: Array.from({ length: 30 }, (_, i) => ({ day: `2025-01-${i + 1}`, requests: i * 7, tokens: i * 1234 })),
});

async function measure(name: string, op: () => Promise<unknown> | unknown): Promise<void> {
  for (let i = 0; i < 20_000; i++) await op(); // warm-up (JIT)
  const samples: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < ITERATIONS; i++) await op();
    samples.push(Number(process.hrtime.bigint() - start) / ITERATIONS);
  }
  samples.sort((a, b) => a - b);
  const median = samples[Math.floor(samples.length / 2)];
  console.log(`${name.padEnd(58)} ${median.toFixed(0).padStart(6)} ns/op  (min ${samples[0].toFixed(0)})`);
}

function bento(serialize: boolean) {
  return new BentoCache({
    default: 'm',
    stores: { m: bentostore().useL1Layer(memoryDriver({ maxItems: 10_000, serialize })) },
    ttl: 3_600_000,
  });
}

async function main() {
  const factory = () => BODY;
  console.log(`value: ${BODY.length} bytes string; ${ITERATIONS} reads × ${ROUNDS} rounds (median)\n`);

  const lru = new LRUCache<string, string>({ max: 10_000 });
  lru.set('k', BODY);
  await measure('baseline: lru-cache get (sync)', () => lru.get('k'));
  await measure('baseline: await of a resolved promise', () => Promise.resolve(BODY));

  const b1 = bento(true);
  await b1.getOrSet({ key: 'plain', factory });
  await b1.getOrSet({ key: 'tagged', factory, tags: ['user:1'] });
  await b1.getOrSet({ key: 'tagged2', factory, tags: ['user:1', 'key:1'] });
  await measure('bentocache getOrSet hit (default L1, JSON), no tags', () => b1.getOrSet({ key: 'plain', factory }));
  await measure('bentocache getOrSet hit (default L1, JSON), 1 tag', () =>
    b1.getOrSet({ key: 'tagged', factory, tags: ['user:1'] }),
  );
  await measure('bentocache getOrSet hit (default L1, JSON), 2 tags', () =>
    b1.getOrSet({ key: 'tagged2', factory, tags: ['user:1', 'key:1'] }),
  );
  const ns = b1.namespace('stats');
  await ns.getOrSet({ key: 'plain', factory });
  await measure('bentocache namespace getOrSet hit, no tags', () => ns.getOrSet({ key: 'plain', factory }));

  const b2 = bento(false);
  await b2.getOrSet({ key: 'plain', factory });
  await b2.getOrSet({ key: 'tagged', factory, tags: ['user:1'] });
  await measure('bentocache getOrSet hit (L1 serialize:false), no tags', () => b2.getOrSet({ key: 'plain', factory }));
  await measure('bentocache getOrSet hit (L1 serialize:false), 1 tag', () =>
    b2.getOrSet({ key: 'tagged', factory, tags: ['user:1'] }),
  );
  await b1.disconnectAll();
  await b2.disconnectAll();

  const metrics = createMetrics();
  const cache = await createCache({
    redisUrl: process.env.REDIS_URL,
    prefix: `bench${process.pid}`,
    metrics,
    logger: pino({ level: 'silent' }),
  });
  const load = async () => BODY;
  const key = ['usage', 'u1', '30d', 'all'];
  const scope = { userId: 'u1' };
  await cache.stats.getOrLoad(key, load);
  await cache.stats.getOrLoad(['usage', 'u1', '30d', 'k1'], load, { userId: 'u1', keyId: 'k1' });
  await cache.auth.getOrLoad(['session', 'h'], async () => null, scope);
  await measure('portal cache getOrLoad hit, no scope', () => cache.stats.getOrLoad(key, load));
  await measure('portal cache getOrLoad hit, scope {userId, keyId}', () =>
    cache.stats.getOrLoad(['usage', 'u1', '30d', 'k1'], load, { userId: 'u1', keyId: 'k1' }),
  );
  await measure('portal cache get hit', () => cache.stats.get(key));
  await measure('portal cache: auth hit + stats hit (hot request)', async () => {
    await cache.auth.getOrLoad(['session', 'h'], async () => null, scope);
    await cache.stats.getOrLoad(key, load, scope);
  });
  await cache.close();

  await measure('prom-client counter.inc({namespace})', () => metrics.cacheHits.inc({ namespace: 'stats' }));
  const count = new ReadCount();
  await measure('ReadCount field increment (what a hit pays)', () => {
    count.hits++;
  });
}

await main();
