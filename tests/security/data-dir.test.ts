import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { startEmulator } from '../../src/crs-emulator/index.js';
import { type RunningPortal, startPortal } from '../../src/portal.js';

/*
 * Issue 10, point 5 (and point 1 through the real start sequence): the embedded database's directory is the
 * owner's alone, and a start without an admin prints the one-time setup token.
 */
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kp-perm-'));
// What an older start left behind: a world-readable data directory and a world-writable database file.
chmodSync(dataDir, 0o777);
mkdirSync(path.join(dataDir, 'pglite'), { mode: 0o777 });
writeFileSync(path.join(dataDir, 'emulator.json'), '{}', { mode: 0o666 });
chmodSync(path.join(dataDir, 'emulator.json'), 0o666);

let logs = '';
const sink = new Writable({
  write(chunk, _enc, done) {
    logs += chunk.toString();
    done();
  },
});
const emulator = await startEmulator({ latency: 'fast', port: 0 });
const portal: RunningPortal = await startPortal(
  loadConfig({
    PORT: '0',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
    CRS_BASE_URL: emulator.url,
    CRS_ADMIN_USERNAME: 'admin',
    CRS_ADMIN_PASSWORD: 'admin',
  }),
  'perm-test',
  sink,
);
afterAll(async () => {
  await portal.stop();
  await emulator.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function modes(dir: string): { dirs: string[]; files: string[] } {
  const out = { dirs: [] as string[], files: [] as string[] };
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    const mode = (statSync(p).mode & 0o777).toString(8);
    if (entry.isDirectory()) {
      out.dirs.push(mode);
      const below = modes(p);
      out.dirs.push(...below.dirs);
      out.files.push(...below.files);
    } else out.files.push(mode);
  }
  return out;
}

describe('DATA_DIR of the embedded database', () => {
  it('is 0700 with every file 0600, including what PGlite unpacked and what an older start left', async () => {
    // Write something so the WAL has fresh content.
    const res = await fetch(`${portal.url}/api/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'perm@example.com', password: 'long enough password' }),
    });
    expect(res.status).toBe(201);
    expect((statSync(dataDir).mode & 0o777).toString(8)).toBe('700');
    const { dirs, files } = modes(dataDir);
    expect(files.length).toBeGreaterThan(100);
    expect(new Set(dirs)).toEqual(new Set(['700']));
    expect(new Set(files)).toEqual(new Set(['600']));
  });
});

describe('a start without an admin', () => {
  it('prints a one-time setup token that makes its registration the admin', async () => {
    const match = /setup token ([\w-]{43})/.exec(logs);
    expect(match, 'no setup token in the start log').not.toBeNull();
    const meta = (await (await fetch(`${portal.url}/api/meta`)).json()) as { setupRequired: boolean };
    expect(meta.setupRequired).toBe(true);
    const res = await fetch(`${portal.url}/api/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'operator@example.com', password: 'long enough password', setupToken: match![1] }),
    });
    expect(res.status).toBe(201);
    expect(((await res.json()) as { user: { role: string } }).user.role).toBe('admin');
    const after = (await (await fetch(`${portal.url}/api/meta`)).json()) as { setupRequired: boolean };
    expect(after.setupRequired).toBe(false);
  });
});
