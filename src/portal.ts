import path from 'node:path';
import type { DestinationStream, Logger } from 'pino';
import { type App, buildApp } from './app.js';
import { type Config, runMode } from './config.js';
import type { Emulator } from './crs-emulator/index.js';
import type { Deps } from './deps.js';
import { bootstrapAdmin } from './domain/accounts/bootstrap.js';
import { systemClock } from './domain/clock.js';
import { CACHE_CHANNEL, createCache } from './infra/cache/index.js';
import { createCrsClient } from './infra/crs/client.js';
import { crsSource } from './infra/crs-redis/index.js';
import { migrate } from './infra/db/migrate.js';
import { createMetrics } from './infra/metrics/metrics.js';
import { createLogger } from './logger.js';
import { checkCrs, listen, reachDatabase } from './startup.js';

export interface RunningPortal {
  app: App;
  deps: Deps;
  /** The in-process CRS emulator in demo mode. */
  emulator?: Emulator;
  logger: Logger;
  url: string;
  stop(): Promise<void>;
}

/**
 * The whole start sequence (config → dependencies → app → listen → jobs), shared by `npm start` and the
 * benchmark. In demo mode (no CRS_BASE_URL) the CRS emulator runs in-process with demo data and live traffic.
 * A dependency that must be there (the database, the port) fails with a StartupError naming the variable.
 */
export async function startPortal(
  config: Config,
  version: string,
  logDestination?: DestinationStream,
): Promise<RunningPortal> {
  const logger = createLogger(config.logLevel, logDestination);
  const stops: Array<() => Promise<unknown>> = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch((err) => logger.error({ err }, 'error while stopping'));
  };
  try {
    let emulator: Emulator | undefined;
    if (config.demo) {
      const { startEmulator } = await import('./crs-emulator/index.js');
      emulator = await startEmulator({
        port: 0,
        latency: 'fast',
        seedDemo: true,
        trafficRpm: config.demoTrafficRpm,
        dataFile: path.resolve(config.dataDir, 'emulator.json'),
        adminUsername: config.crs.adminUsername,
        adminPassword: config.crs.adminPassword,
      });
      stops.push(() => emulator!.close());
      config.crs.baseUrl = emulator.url;
      logger.warn(
        { crs: emulator.url },
        'DEMO MODE: using the built-in CRS emulator with demo data (set CRS_BASE_URL for a real CRS)',
      );
    }

    // Configuration was checked by loadConfig; now every dependency is reached before anything else runs.
    const database = await reachDatabase(config);
    stops.push(() => database.close());
    await migrate(database);

    const metrics = createMetrics();
    const cache = await createCache({
      redisUrl: config.redisUrl,
      memory: { maxBytes: config.cacheMemoryMb * 2 ** 20 },
      channel: database.channel?.(CACHE_CHANNEL, logger),
      metrics,
      logger,
    });
    stops.push(() => cache.close());
    const crsApi = createCrsClient({
      baseUrl: config.crs.baseUrl!,
      username: config.crs.adminUsername,
      password: config.crs.adminPassword,
      timeoutMs: config.crs.timeoutMs,
      bulkTimeoutMs: config.crs.syncTimeoutMs,
      metrics,
      logger,
    });
    // With CRS_REDIS_URL the sync's usage reads come from CRS's Redis, the admin API as fallback (decision 022).
    const { crs, close: closeCrsRedis } = crsSource(crsApi, config.crs, { now: systemClock, metrics, logger });
    stops.push(closeCrsRedis);
    const crsChecked = checkCrs(crs, config, logger);
    const deps: Deps = { config, database, cache, crs, metrics, clock: systemClock, logger, version };
    const app = await buildApp(deps);
    stops.push(() => app.close());

    await bootstrapAdmin(deps);
    // The port first: when it is taken the process ends before any sync or reconcile has run.
    const address = await listen(app, config);
    const url = address.replace('[::1]', 'localhost');
    if (emulator) {
      const { bootstrapDemo } = await import('./demo.js');
      await bootstrapDemo(app.services, deps, emulator);
    }
    await crsChecked;
    app.services.jobs.start();
    logger.info(
      { url, mode: runMode(config), database: database.kind, redis: Boolean(config.redisUrl) },
      `Claude Key Portal listening on ${url}${config.demo ? ' (demo mode)' : ''}`,
    );
    return { app, deps, emulator, logger, url, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
