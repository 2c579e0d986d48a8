import pino from 'pino';
import { startEmulator } from './src/crs-emulator/index.js';
import { createCrsClient } from './src/infra/crs/client.js';
import { crsSource } from './src/infra/crs-redis/index.js';
import { createMetrics } from './src/infra/metrics/metrics.js';
import { RedisServer } from './tests/support/redis-server.js';

const N = Number(process.argv[2] ?? 20000);
const USED = Math.round(N * 0.4);
const server = await RedisServer.start();
const emu = await startEmulator({ redisUrl: server.url });
let t = Date.now();
for (let i = 0; i < N; i++) {
  const { id } = emu.store.createKey({ name: `k${i}`, tags: ['portal'] });
  if (i < USED) emu.store.seedHistory(id, { days: 2, requestsPerDay: 10, seed: i });
  if (i % 2000 === 1999) await emu.flushRedis();
}
await emu.flushRedis();
console.log(`seeded ${N} keys (${USED} used, 2 days) in ${Date.now() - t} ms`);
const logger = pino({ level: 'warn' });
const metrics = createMetrics();
const api = createCrsClient({ baseUrl: emu.url, username: 'admin', password: 'admin', timeoutMs: 60000, metrics, logger });
const { crs, close } = crsSource(api, { redisUrl: server.url, timeoutMs: 60000, timezoneOffset: 8 }, { now: () => new Date(), metrics, logger });
const time = async (label: string, f: () => Promise<unknown>) => { const s = performance.now(); await f(); console.log(label, Math.round(performance.now() - s), 'ms'); };
for (let r = 0; r < 2; r++) {
  await time('redis usageStats', () => crs.usageStats());
  await time('redis trend 2d', () => crs.keysUsageTrend(2, () => {}));
  await time('redis trend 31d', () => crs.keysUsageTrend(31, () => {}));
}
console.log((await metrics.registry.metrics()).split('\n').filter((l) => l.startsWith('kp_crs_direct')).join('\n'));
const info = await (await import('ioredis')).default.prototype;
await close(); await emu.close(); await server.stop();
