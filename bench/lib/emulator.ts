import { type Emulator, type LatencyMode, startEmulator } from '../../src/crs-emulator/index.js';
import { DAY_MS } from '../../src/crs-emulator/time.js';

/**
 * The CRS emulator (`startEmulator`) with the benchmark's two extra knobs: a clock it can shift (to seed 90 days
 * into a CRS that keeps 32) and the latency model switched at runtime (`none` while seeding, `realistic` while
 * measuring, `none` again to time the portal's own share of a sync). Its traffic uses a fixed seed, so two runs
 * see the same usage.
 */
export interface BenchEmulator extends Emulator {
  /** Moves the emulator's clock: now = real time − daysBack days. */
  setDaysBack(days: number): void;
  setLatency(mode: LatencyMode): void;
}

const TRAFFIC_SEED = 42;

export async function startBenchEmulator(opts: { latency: LatencyMode; password: string }): Promise<BenchEmulator> {
  let offset = 0;
  const emulator = await startEmulator({
    latency: opts.latency,
    adminPassword: opts.password,
    clock: () => Date.now() - offset,
  });
  const setTraffic = emulator.setTraffic.bind(emulator);
  return Object.assign(emulator, {
    setDaysBack(days: number) {
      offset = days * DAY_MS;
    },
    setLatency(mode: LatencyMode) {
      emulator.latency = mode;
    },
    setTraffic: (rpm: number) => setTraffic(rpm, TRAFFIC_SEED),
  });
}
