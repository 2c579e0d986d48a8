import path from 'node:path';
import { type Emulator, type EmulatorStore, startEmulator } from '../../../src/crs-emulator/index.js';
import { freePort } from '../../support/free-port.js';

export const CRS_USER = 'admin';
export const CRS_PASSWORD = 'faults-crs-password';

/**
 * The CRS emulator on a fixed loopback port, in the test process, so a scenario can stop it (connections
 * refused, as when CRS's process is gone), start it again on the same port with the state it saved (a CRS
 * restart: every admin session is gone too), or hang it (requests accepted, answers held back).
 */
export class FaultCrs {
  private emulator?: Emulator;
  /** Requests per route label, kept across restarts. */
  private readonly earlier = new Map<string, number>();

  private constructor(
    readonly port: number,
    private readonly dataFile: string,
  ) {}

  static async start(workDir: string): Promise<FaultCrs> {
    const crs = new FaultCrs(await freePort(), path.join(workDir, 'crs.json'));
    await crs.start();
    return crs;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get store(): EmulatorStore {
    if (!this.emulator) throw new Error('the CRS emulator is stopped');
    return this.emulator.store;
  }

  async start(): Promise<void> {
    this.emulator ??= await startEmulator({
      port: this.port,
      latency: 'none',
      adminUsername: CRS_USER,
      adminPassword: CRS_PASSWORD,
      dataFile: this.dataFile,
    });
  }

  async stop(): Promise<void> {
    const emulator = this.emulator;
    if (!emulator) return;
    this.emulator = undefined;
    for (const [route, n] of Object.entries(emulator.requestCounts())) {
      this.earlier.set(route, (this.earlier.get(route) ?? 0) + n);
    }
    await emulator.close();
  }

  /** Every answer held back by `ms` (requests are still accepted and processed): a hung CRS. */
  hang(ms: number): void {
    if (this.emulator) this.emulator.faults.extraDelayMs = ms;
  }

  requestCount(route: string): number {
    return (this.earlier.get(route) ?? 0) + (this.emulator?.requestCount(route) ?? 0);
  }
}
