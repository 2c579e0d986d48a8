import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { registerSecurityHeaders } from '../../src/http/plugins/observability.js';
import { registerWeb } from '../../src/http/plugins/web.js';
import { createTestApp } from '../helpers/app.js';
import { authHeaders, createUser } from '../helpers/security-suite.js';

/*
 * Issue 10, point 10: no answer that carries personal data or a secret may be kept by a browser or proxy cache.
 * Every signed-in route is also checked by the security suite ("an authenticated answer is never cached").
 */
const t = await createTestApp();

describe('Cache-Control: no-store', () => {
  it('on the key create answer, which holds the secret', async () => {
    const u = await createUser(t);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/keys',
      headers: authHeaders(u),
      payload: { name: 'k' },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().secret).toMatch(/^cr_/);
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('on sign-in answers (they carry the session token) and warm cached reads alike', async () => {
    const u = await createUser(t);
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: u.email, password: u.password },
    });
    expect(login.headers['cache-control']).toBe('no-store');
    for (let i = 0; i < 2; i++) {
      const usage = await t.app.inject({ method: 'GET', url: '/api/stats/usage', headers: authHeaders(u) });
      expect(usage.statusCode).toBe(200);
      expect(usage.headers['cache-control']).toBe('no-store');
    }
  });

  it('leaves the web UI’s own caching alone: hashed assets immutable, index.html revalidated', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'kp-web-'));
    mkdirSync(path.join(root, 'assets'));
    writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>portal</title>');
    writeFileSync(path.join(root, 'assets', 'app-1a2b3c.js'), 'console.log(1)');
    const web = Fastify();
    registerSecurityHeaders(web, false);
    await registerWeb(web, root);
    afterAll(() => web.close());
    const asset = await web.inject({ method: 'GET', url: '/assets/app-1a2b3c.js' });
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const page = await web.inject({ method: 'GET', url: '/keys', headers: { accept: 'text/html' } });
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
  });
});
