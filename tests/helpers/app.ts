import { Writable } from 'node:stream';
import { afterAll, inject } from 'vitest';
import { type App, type BuildOptions, buildApp } from '../../src/app.js';
import { type Config, loadConfig } from '../../src/config.js';
import { type Emulator, startEmulator } from '../../src/crs-emulator/index.js';
import type { Deps } from '../../src/deps.js';
import type { Clock } from '../../src/domain/clock.js';
import { CACHE_CHANNEL, createCache } from '../../src/infra/cache/index.js';
import { createCrsClient } from '../../src/infra/crs/client.js';
import { crsSource } from '../../src/infra/crs-redis/index.js';
import { openDatabase } from '../../src/infra/db/client.js';
import { createMetrics } from '../../src/infra/metrics/metrics.js';
import { createLogger } from '../../src/logger.js';
import { createTestDatabase, redisPrefix } from './db.js';

export interface TestAppOptions {
  /** Extra environment for loadConfig (REGISTRATION, DEFAULT_MAX_KEYS, …). */
  env?: Record<string, string>;
  /** Share one emulator between apps; by default each app gets its own (fast latency). */
  emulator?: Emulator;
  /** false: memory cache only; default: the run's real Redis with a key prefix of this file's own. */
  redis?: boolean | string;
  clock?: Clock;
  /** Share another app's database (a second portal instance); by default each app gets its own. */
  databaseUrl?: string;
  /** Capture the app's logs (level trace) to search them, e.g. for secrets. */
  logStream?: Writable;
  /** Redis key prefix; give two apps the same one (and one database) to make them instances of one deployment. */
  redisPrefix?: string;
  /** Sees every route as it is registered. */
  onRoute?: BuildOptions['onRoute'];
}

export interface TestApp {
  app: App;
  deps: Deps;
  config: Config;
  emulator: Emulator;
  /** Database URL of this app's own PostgreSQL database. */
  databaseUrl: string;
}

/**
 * The real portal for integration tests: its own PostgreSQL database, the run's real Redis, the CRS emulator
 * on a loopback port, the real HTTP stack through app.inject(). Closed when the test file ends.
 */
export async function createTestApp(opts: TestAppOptions = {}): Promise<TestApp> {
  const database = opts.databaseUrl
    ? Object.assign(await openDatabase({ databaseUrl: opts.databaseUrl, dataDir: '.', poolSize: 5 }), {
        url: opts.databaseUrl,
      })
    : await createTestDatabase();
  const emulator = opts.emulator ?? (await startEmulator({ latency: 'fast', port: 0 }));
  const redisUrl = opts.redis === false ? undefined : typeof opts.redis === 'string' ? opts.redis : inject('redisUrl');
  const config = loadConfig({
    CRS_BASE_URL: emulator.url,
    CRS_ADMIN_USERNAME: 'admin',
    CRS_ADMIN_PASSWORD: 'admin',
    CRS_TIMEOUT_MS: '2000',
    LOG_LEVEL: 'silent',
    ...opts.env,
  });
  config.databaseUrl = database.url;
  config.redisUrl = redisUrl;
  const metrics = createMetrics();
  const logger = opts.logStream ? createLogger('trace', opts.logStream) : createLogger('silent');
  const cache = await createCache({
    redisUrl,
    prefix: opts.redisPrefix ?? redisPrefix(),
    channel: database.channel?.(CACHE_CHANNEL, logger),
    metrics,
    logger,
  });
  const crsApi = createCrsClient({
    baseUrl: emulator.url,
    username: config.crs.adminUsername,
    password: config.crs.adminPassword,
    timeoutMs: config.crs.timeoutMs,
    // Tests break CRS on purpose: recover within a fraction of a second instead of production's 10 s.
    breaker: { resetTimeoutMs: 150 },
    retry: { baseDelayMs: 10, maxDelayMs: 40 },
    metrics,
    logger,
  });
  // CRS_REDIS_URL in `env`: the sync reads CRS's Redis (an emulator in Redis mode writes it), as in production.
  const clock = opts.clock ?? (() => new Date());
  const { crs, close: closeCrsRedis } = crsSource(crsApi, config.crs, { now: clock, metrics, logger });
  const deps: Deps = {
    config,
    database,
    cache,
    crs,
    metrics,
    clock,
    logger,
    version: 'test',
  };
  const app = await buildApp(deps, { onRoute: opts.onRoute });
  await app.ready();
  afterAll(async () => {
    await app.close();
    await cache.close();
    await closeCrsRedis();
    if (opts.databaseUrl) await database.close();
    if (!opts.emulator) await emulator.close();
  });
  return { app, deps, config, emulator, databaseUrl: database.url };
}

/** A log stream for `createTestApp({ logStream })` that keeps each line it is given, to be searched. */
export function capturedLogs(): { lines: string[]; logStream: Writable } {
  const lines: string[] = [];
  const logStream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, logStream };
}
