// Placeholder: the CRS emulator module replaces this file.
export interface EmulatorOptions {
  port?: number;
  host?: string;
  latency?: 'none' | 'fast' | 'realistic';
  adminUsername?: string;
  adminPassword?: string;
  timezoneOffset?: number;
  trafficRpm?: number;
  seedDemo?: boolean;
  dataFile?: string;
}

export interface Emulator {
  url: string;
  close(): Promise<void>;
}

export async function startEmulator(_opts: EmulatorOptions = {}): Promise<Emulator> {
  throw new Error('emulator not built yet');
}
