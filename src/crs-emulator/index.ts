import type { AddressInfo } from 'node:net';
import type { Env } from './context.js';
import { type CrsRedisMirror, mirrorToRedis } from './crs-redis/index.js';
import { seedDemo } from './demo.js';
import type { LatencyMode } from './latency.js';
import { load, saveAtomically } from './persistence.js';
import { Router } from './router.js';
import { apiStatsRoutes } from './routes/api-stats.js';
import { authRoutes } from './routes/auth.js';
import { globalRoutes } from './routes/global.js';
import { keyStatsRoutes } from './routes/key-stats.js';
import { keyRoutes } from './routes/keys.js';
import { relayRoutes } from './routes/relay.js';
import { statsRoutes } from './routes/stats.js';
import { createHttpServer, type Faults, type InFlight } from './server.js';
import { Sessions } from './sessions.js';
import { EmulatorStore } from './store.js';
import { Tz } from './time.js';
import { startTraffic } from './traffic.js';

export type { CrsRedisMirror, MirrorOptions, SnapshotReport } from './crs-redis/index.js';
export { mirrorToRedis, snapshotToRedis } from './crs-redis/index.js';
export type { LatencyCtx, LatencyMode } from './latency.js';
export { realisticDelay } from './latency.js';
export { HAIKU, OPUS, PRICES, SONNET } from './pricing.js';
export type { Faults } from './server.js';
export type { CreateKeyInput, SeedHistoryOptions, UsageInput } from './store.js';
export { EmulatorStore } from './store.js';

export interface EmulatorOptions {
  /** 0 = random free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  latency?: LatencyMode;
  adminUsername?: string;
  adminPassword?: string;
  /** CRS's TIMEZONE_OFFSET in hours (default 8). */
  timezoneOffset?: number;
  /** Generated relay traffic, requests per minute (default 0). */
  trafficRpm?: number;
  /** Create the demo keys with 30 days of history (only when the store is empty after loading dataFile). */
  seedDemo?: boolean;
  /** Load state from here at start, save it every 30 s and on close (hashes only, never a plaintext key). */
  dataFile?: string;
  /** Epoch ms; default Date.now. */
  clock?: () => number;
  /**
   * Redis mode: also write every key and usage event to this Redis as CRS lays it out (docs/crs.md §9), for a
   * direct reader of CRS's Redis. Use a Redis (or database) of its own: the names are CRS's, unprefixed. A state
   * loaded from `dataFile` is copied there first, in bulk, after emptying the database (crs-redis/snapshot.ts).
   */
  redisUrl?: string;
}

export interface Emulator {
  url: string;
  port: number;
  store: EmulatorStore;
  faults: Faults;
  /** The latency model, switchable while running (the benchmark seeds with `none` and measures `realistic`). */
  latency: LatencyMode;
  /** Replaces the generated relay traffic: requests per minute (0 stops it), optionally from a fixed seed. */
  setTraffic(rpm: number, seed?: number): void;
  /** CRS hangs: requests are accepted and held unanswered (faults.paused). */
  pause(): void;
  /** CRS comes back: every held request is processed, in arrival order, whether or not its client still waits. */
  resume(): void;
  /** Every admin token becomes invalid (401 "Invalid admin token"), as after a CRS restart or 24 h idle. */
  expireAdminSessions(): void;
  /** Requests received for a route label ("GET /admin/usage-stats", "PUT /admin/api-keys/:id"), or in total. */
  requestCount(route?: string): number;
  requestCounts(): Record<string, number>;
  /** The most requests of a route served at the same time since the last reset (a client's concurrency). */
  inFlightPeak(route: string): number;
  resetRequestCounts(): void;
  /** Redis mode: resolves when every write so far is in Redis; rejects with a write that failed. No-op otherwise. */
  flushRedis(): Promise<void>;
  /** Saves the data file now (no-op without dataFile). */
  save(): Promise<void>;
  close(): Promise<void>;
}

export async function startEmulator(opts: EmulatorOptions = {}): Promise<Emulator> {
  const now = opts.clock ?? Date.now;
  const tz = new Tz(opts.timezoneOffset ?? 8);
  const store = new EmulatorStore(tz, now);
  const loaded = opts.dataFile ? load(opts.dataFile, store) : false;
  // A loaded state is copied to Redis first (the database is emptied: it is the emulator's own), then mirrored.
  const mirror: CrsRedisMirror | undefined = opts.redisUrl
    ? await mirrorToRedis(store, opts.redisUrl, { snapshot: loaded, replace: true })
    : undefined;
  if (opts.seedDemo && !loaded && store.keyCount() === 0) seedDemo(store);
  const env: Env = {
    store,
    sessions: new Sessions(now),
    adminUsername: opts.adminUsername ?? 'admin',
    adminPassword: opts.adminPassword ?? 'admin',
    startedAt: now(),
    now,
    settled: mirror?.settled,
  };
  const router = new Router();
  router.add([
    ...authRoutes,
    ...keyRoutes,
    ...statsRoutes,
    ...keyStatsRoutes,
    ...globalRoutes,
    ...relayRoutes,
    ...apiStatsRoutes,
  ]);
  const faults: Faults = { down: false, extraDelayMs: 0 };
  const counts = new Map<string, number>();
  const inFlight = new Map<string, InFlight>();
  // The server reads `latency` from this object on every request: setting it switches the model.
  const serverOpts = { latency: opts.latency ?? 'none', faults, counts, inFlight };
  const { server, sockets, release } = createHttpServer(env, router, serverOpts);
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  }).catch(async (e: unknown) => {
    await mirror?.close(); // a taken port must not leave the Redis connection holding the process open
    throw e;
  });
  const port = (server.address() as AddressInfo).port;
  let stopTraffic = startTraffic(store, opts.trafficRpm ?? 0);

  let saving: Promise<void> = Promise.resolve();
  const save = () => {
    if (!opts.dataFile) return Promise.resolve();
    const file = opts.dataFile;
    // One save at a time; a failed save must not wedge the ones after it.
    saving = saving.catch(() => {}).then(() => saveAtomically(file, store));
    return saving;
  };
  const saver = opts.dataFile ? setInterval(() => void save().catch(() => {}), 30_000) : undefined;
  saver?.unref();

  let closed: Promise<void> | undefined;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    store,
    faults,
    get latency() {
      return serverOpts.latency;
    },
    set latency(mode: LatencyMode) {
      serverOpts.latency = mode;
    },
    setTraffic(rpm, seed) {
      stopTraffic();
      stopTraffic = startTraffic(store, rpm, seed);
    },
    pause: () => {
      faults.paused = true;
    },
    resume: () => {
      faults.paused = false;
      release();
    },
    expireAdminSessions: () => env.sessions.clear(),
    requestCount: (route) => {
      if (route !== undefined) return counts.get(route) ?? 0;
      let n = 0;
      for (const v of counts.values()) n += v;
      return n;
    },
    requestCounts: () => Object.fromEntries(counts),
    inFlightPeak: (route) => inFlight.get(route)?.peak ?? 0,
    resetRequestCounts: () => {
      counts.clear();
      for (const f of inFlight.values()) f.peak = f.now;
    },
    flushRedis: () => mirror?.flush() ?? Promise.resolve(),
    save,
    close: () => {
      closed ??= (async () => {
        stopTraffic();
        if (saver) clearInterval(saver);
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          for (const s of sockets) s.destroy();
        });
        await save();
        await mirror?.close();
      })();
      return closed;
    },
  };
}
