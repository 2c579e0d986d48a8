import { afterEach } from 'vitest';
import { type Emulator, type EmulatorOptions, startEmulator } from '../../src/crs-emulator/index.js';
import { call, type Json } from '../contract/world.js';

export interface Harness {
  emu: Emulator;
  token: string;
  now(): number;
  set(t: number | string): void;
  advance(ms: number): void;
  call(method: string, path: string, body?: unknown, token?: string | null): Promise<{ status: number; body: Json }>;
  relay(apiKey: string, body: unknown): Promise<{ status: number; body: Json }>;
  createKey(body: Record<string, unknown>): Promise<{ id: string; apiKey: string }>;
  /** A fresh admin session (after moving the clock past the 24 h idle expiry). */
  login(): Promise<void>;
}

const open: Emulator[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((e) => e.close()));
});

export const DAY = 86_400_000;
export const HOUR = 3_600_000;

/** An emulator on a controllable clock (default 2026-11-25T17:30Z = 01:30 on the 26th in CRS's UTC+8), logged in. */
export async function harness(opts: EmulatorOptions & { start?: string } = {}): Promise<Harness> {
  let now = Date.parse(opts.start ?? '2026-11-25T17:30:00.000Z');
  const emu = await startEmulator({ latency: 'none', clock: () => now, ...opts });
  open.push(emu);
  const h: Harness = {
    emu,
    token: '',
    now: () => now,
    set: (t) => {
      now = typeof t === 'string' ? Date.parse(t) : t;
    },
    advance: (ms) => {
      now += ms;
    },
    call: (method, path, body, token) => call(emu.url, method, path, body, token === undefined ? h.token : token),
    relay: async (apiKey, body) => {
      const res = await fetch(`${emu.url}/api/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
        body: JSON.stringify(body),
      });
      return { status: res.status, body: await res.json() };
    },
    createKey: async (body) => {
      const res = await h.call('POST', '/admin/api-keys', body);
      if (res.status !== 200) throw new Error(`create failed: ${JSON.stringify(res.body)}`);
      return { id: res.body.data.id, apiKey: res.body.data.apiKey };
    },
    login: async () => {
      const res = await h.call('POST', '/web/auth/login', { username: 'admin', password: 'admin' }, null);
      h.token = res.body.token;
    },
  };
  await h.login();
  return h;
}
