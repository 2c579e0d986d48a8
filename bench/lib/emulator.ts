import type { AddressInfo } from 'node:net';
import type { Env } from '../../src/crs-emulator/context.js';
import type { LatencyMode } from '../../src/crs-emulator/latency.js';
import { Router } from '../../src/crs-emulator/router.js';
import { authRoutes } from '../../src/crs-emulator/routes/auth.js';
import { globalRoutes } from '../../src/crs-emulator/routes/global.js';
import { keyStatsRoutes } from '../../src/crs-emulator/routes/key-stats.js';
import { keyRoutes } from '../../src/crs-emulator/routes/keys.js';
import { relayRoutes } from '../../src/crs-emulator/routes/relay.js';
import { statsRoutes } from '../../src/crs-emulator/routes/stats.js';
import { createHttpServer, type Faults } from '../../src/crs-emulator/server.js';
import { Sessions } from '../../src/crs-emulator/sessions.js';
import { EmulatorStore } from '../../src/crs-emulator/store.js';
import { DAY_MS, Tz } from '../../src/crs-emulator/time.js';
import { startTraffic } from '../../src/crs-emulator/traffic.js';
import { withReusedListing } from './emulator-list.js';

/**
 * The CRS emulator assembled from the same parts as `startEmulator` (src/crs-emulator/index.ts), plus the two
 * knobs the benchmark needs: a clock it can shift (to seed 90 days into a CRS that keeps 32) and a latency model
 * it can switch at runtime (`none` while seeding; `realistic` while measuring; `none` again to time the
 * portal's own share of a sync). The HTTP behaviour, routes, store and latency model are the emulator's own,
 * except that a key listing is sorted once rather than once per page (emulator-list.ts).
 */
export interface BenchEmulator {
  url: string;
  store: EmulatorStore;
  /** Moves the emulator's clock: now = real time − daysBack days. */
  setDaysBack(days: number): void;
  setLatency(mode: LatencyMode): void;
  readonly latency: LatencyMode;
  /** Relay traffic (usage changes the sync will see), requests per minute; 0 stops it. */
  setTraffic(rpm: number): void;
  requestCount(): number;
  close(): Promise<void>;
}

export async function startBenchEmulator(opts: { latency: LatencyMode; password: string }): Promise<BenchEmulator> {
  let offset = 0;
  const now = () => Date.now() - offset;
  const store = new EmulatorStore(new Tz(8), now);
  const env: Env = {
    store,
    sessions: new Sessions(now),
    adminUsername: 'admin',
    adminPassword: opts.password,
    startedAt: now(),
    now,
  };
  const router = new Router();
  const keys = withReusedListing(keyRoutes, () => store.keyCount());
  router.add([...authRoutes, ...keys, ...statsRoutes, ...keyStatsRoutes, ...globalRoutes, ...relayRoutes]);
  const faults: Faults = { down: false, extraDelayMs: 0 };
  const counts = new Map<string, number>();
  // createHttpServer reads `latency` from this object on every request: mutating it switches the model.
  const serverOpts = { latency: opts.latency, faults, counts };
  const { server, sockets } = createHttpServer(env, router, serverOpts);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  let stopTraffic = () => {};
  let closed: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    store,
    setDaysBack(days) {
      offset = days * DAY_MS;
    },
    setLatency(mode) {
      serverOpts.latency = mode;
    },
    get latency() {
      return serverOpts.latency;
    },
    setTraffic(rpm) {
      stopTraffic();
      stopTraffic = startTraffic(store, rpm, 42);
    },
    requestCount() {
      let n = 0;
      for (const v of counts.values()) n += v;
      return n;
    },
    close() {
      closed ??= new Promise<void>((resolve) => {
        stopTraffic();
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
      return closed;
    },
  };
}
