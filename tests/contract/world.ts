import { afterEach } from 'vitest';
import { type Emulator, startEmulator } from '../../src/crs-emulator/index.js';
import { readSample } from './samples.js';

// The ids and bodies the captures were made with, so requests replay verbatim.
export const ALICE = '483fedd3-5bcd-455c-a5ab-a10cf615de60';
export const BOB = '55c801d6-4a2a-4639-8f44-aabe17489428';
export const CAROL = 'dc7deb60-cf85-4935-afaf-c6d1cb8a72f3';
export const SCRATCH = '5018a722-42a5-48bc-9aca-5a3b9baed88a';
/** When the captures were taken (04:32 on 2026-11-26 in CRS's UTC+8). */
export const CAPTURED_AT = Date.parse('2026-11-25T20:32:00.000Z');
export const PASSWORD = 'admin-pass-123';

/** A JSON body read off the wire; tests assert on its shape, so it is deliberately untyped. */
// biome-ignore lint/suspicious/noExplicitAny: JSON from the wire, checked by the assertions
export type Json = any;

export interface World {
  emu: Emulator;
  token: string;
  /** Moves the emulator's clock. */
  advance(ms: number): void;
  call(method: string, p: string, body?: unknown, token?: string | null): Promise<{ status: number; body: Json }>;
}

const started: Emulator[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((e) => e.close()));
});

export async function call(
  url: string,
  method: string,
  p: string,
  body?: unknown,
  token?: string | null,
): Promise<{ status: number; body: Json }> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined && body !== null) headers['content-type'] = 'application/json';
  const res = await fetch(url + p, {
    method,
    headers,
    body: body === undefined || body === null ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

/**
 * The state the captures were taken in: alice (created and updated as in the samples), bob (minimal, disabled,
 * expiry patched), carol (activation mode, soft-deleted), a load-test key, and — unless `usage: false` —
 * two weeks of history for the three plus a request each in the last hour.
 */
export async function world(opts: { usage?: boolean } = {}): Promise<World> {
  let now = CAPTURED_AT;
  const emu = await startEmulator({ latency: 'none', adminPassword: PASSWORD, clock: () => now });
  started.push(emu);
  const s = emu.store;
  const c = (method: string, p: string, body?: unknown, token?: string | null) =>
    call(emu.url, method, p, body, token === undefined ? w.token : token);
  const w: World = { emu, token: '', advance: (ms) => (now += ms), call: c };
  w.token = (await c('POST', '/web/auth/login', { username: 'admin', password: PASSWORD }, null)).body.token;
  const bodyOf = (f: string) => readSample(f).request.body as Record<string, unknown> & { name: string };
  // Each key with its captured secret, so the captures that authenticate with one (/apiStats) replay verbatim.
  const secretOf = (f: string) => (readSample(f).response as { data: { apiKey: string } }).data.apiKey;
  const made = (f: string, id: string) =>
    s.createKey(bodyOf(f), { id, createdAt: now - 20 * 60_000, secret: secretOf(f) });
  made('api-keys-create.json', ALICE);
  made('api-keys-create-minimal.json', BOB);
  made('api-keys-create-activation-mode.json', CAROL);
  s.createKey({ name: 'load-0001', tags: ['load'] }, { createdAt: now - 20 * 60_000 });
  if (opts.usage !== false) {
    for (const [i, id] of [ALICE, BOB, CAROL].entries()) {
      s.seedHistory(id, { days: 14, requestsPerDay: 18, seed: 7 + i });
      s.recordUsage(id, {
        model: 'claude-sonnet-4-20250514',
        inputTokens: 3509,
        outputTokens: 2559,
        cacheCreateTokens: 5504,
        cacheReadTokens: 12724,
        timestamp: now - 30 * 60_000,
      });
    }
  }
  await c('PUT', `/admin/api-keys/${ALICE}`, bodyOf('api-keys-update.json'));
  await c('PUT', `/admin/api-keys/${BOB}`, { isActive: false });
  await c('PATCH', `/admin/api-keys/${BOB}/expiration`, { expiresAt: '2027-03-01T00:00:00Z' });
  await c('DELETE', `/admin/api-keys/${CAROL}`);
  return w;
}
