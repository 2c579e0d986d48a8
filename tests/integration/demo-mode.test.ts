import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { type RunningPortal, startPortal } from '../../src/portal.js';

/*
 * Issue 2's "done when": with nothing configured the portal runs in demo mode (PGlite, memory cache, the
 * emulator in-process), the whole key lifecycle works through the HTTP API and shows in the emulator, and the
 * plaintext secret is nowhere in the data directory or the logs.
 */
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kp-demo-'));
let logs = '';
const sink = new Writable({
  write(chunk, _enc, done) {
    logs += chunk.toString();
    done();
  },
});
let portal: RunningPortal | undefined = await startPortal(
  loadConfig({ PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'debug', DEMO_TRAFFIC_RPM: '0' }),
  'demo-test',
  sink,
);
afterAll(async () => {
  await portal?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const call = async (method: string, url: string, token?: string, body?: unknown) => {
  const res = await fetch(`${portal!.url}${url}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
};

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

describe('demo mode', () => {
  it('says demo plainly and prints a working demo account', async () => {
    const health = await call('GET', '/api/health');
    expect(health.body).toEqual({ status: 'ok', checks: { db: 'up', crs: 'up', redis: 'disabled' } });
    expect((await call('GET', '/api/meta')).body.mode).toBe('demo');
    expect(logs).toContain('DEMO MODE');
    const [, email, password] = /sign in as (\S+) with password (\S+)/.exec(logs)!;
    const login = await call('POST', '/api/auth/login', undefined, { email, password });
    expect(login.status).toBe(200);
    expect(login.body.user.role).toBe('admin');
    const keys = await call('GET', '/api/keys', login.body.token);
    expect(keys.body.total).toBe(3);
  });

  it('runs the whole key lifecycle through the API, mirrored in the emulator, and never keeps the secret', async () => {
    const reg = await call('POST', '/api/auth/register', undefined, {
      email: 'new@example.com',
      password: 'a long enough password',
    });
    expect(reg.status).toBe(201);
    const token = reg.body.token;
    const created = await call('POST', '/api/keys', token, { name: 'my laptop' });
    expect(created.status).toBe(201);
    const { key, secret } = created.body;
    expect(secret).toMatch(/^cr_[0-9a-f]{64}$/);
    const store = portal!.emulator!.store;
    const crsKey = [...store.keys.keys.values()].find((k) => k.tags.includes(`portal-user:${reg.body.user.id}`))!;
    expect(crsKey).toMatchObject({
      name: 'my laptop',
      isActive: true,
      tags: ['portal', `portal-user:${reg.body.user.id}`],
    });

    expect((await call('GET', '/api/keys', token)).body.items).toHaveLength(1);
    expect((await call('PATCH', `/api/keys/${key.id}`, token, { status: 'disabled' })).body.status).toBe('disabled');
    expect(store.getKey(crsKey.id)!.isActive).toBe(false);
    expect((await call('PATCH', `/api/keys/${key.id}`, token, { status: 'active' })).body.status).toBe('active');
    expect(store.getKey(crsKey.id)!.isActive).toBe(true);
    expect((await call('DELETE', `/api/keys/${key.id}`, token)).status).toBe(204);
    expect(store.getKey(crsKey.id)!.isDeleted).toBe(true);

    await portal!.stop(); // flushes PGlite and the emulator's data file
    portal = undefined;
    const files = filesUnder(dataDir);
    expect(files.some((f) => f.endsWith('emulator.json'))).toBe(true);
    const needles = [secret, secret.slice(3)];
    for (const file of files) {
      const bytes = readFileSync(file);
      for (const n of needles) expect(bytes.includes(n), `${n.slice(0, 8)}… found in ${file}`).toBe(false);
    }
    for (const n of needles) expect(logs.includes(n)).toBe(false);
  });
});
