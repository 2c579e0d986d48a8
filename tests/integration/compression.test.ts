import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { LightMyRequestResponse } from 'fastify';
import { describe, expect, it } from 'vitest';
import { pickEncoding } from '../../src/http/plugins/compression.js';
import { createTestApp } from '../helpers/app.js';
import { createKey } from '../helpers/keys.js';
import { authHeaders, createUser, TEST_PASSWORD } from '../helpers/security-suite.js';

/*
 * Issue 15, point 1: API answers are compressed above a size threshold, never one carrying a secret (BREACH), and
 * the warm reads — small cached answers — are sent as they are.
 */
const BROWSER = 'gzip, deflate, br, zstd';
const t = await createTestApp();
const user = await createUser(t);
const as = (headers: Record<string, string> = {}) => ({ headers: { ...authHeaders(user), ...headers } });

function decoded(res: LightMyRequestResponse): string {
  const enc = res.headers['content-encoding'];
  if (enc === 'br') return brotliDecompressSync(res.rawPayload).toString();
  if (enc === 'gzip') return gunzipSync(res.rawPayload).toString();
  return res.body;
}

describe('answers above the threshold', () => {
  it('are brotli for a browser, gzip for a gzip-only client, plain otherwise, and always say they vary', async () => {
    await createKey(t, user);
    const url = '/api/stats/usage?range=365d';
    const br = await t.app.inject({ method: 'GET', url, ...as({ 'accept-encoding': BROWSER }) });
    expect(br.statusCode, br.body).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toContain('accept-encoding');
    const json = JSON.parse(decoded(br));
    expect(json.series).toHaveLength(365);
    expect(br.rawPayload.length).toBeLessThan(JSON.stringify(json).length / 4);
    expect(Number(br.headers['content-length'])).toBe(br.rawPayload.length);

    const gz = await t.app.inject({ method: 'GET', url, ...as({ 'accept-encoding': 'gzip' }) });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(decoded(gz)).series).toEqual(json.series);

    const plain = await t.app.inject({ method: 'GET', url, ...as() });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toContain('accept-encoding');
    expect(plain.json().series).toEqual(json.series);

    const refused = await t.app.inject({ method: 'GET', url, ...as({ 'accept-encoding': 'br;q=0, gzip' }) });
    expect(refused.headers['content-encoding']).toBe('gzip');
  });

  it('include the OpenAPI document and the metrics text', async () => {
    const doc = await t.app.inject({ method: 'GET', url: '/openapi.json', headers: { 'accept-encoding': BROWSER } });
    expect(doc.headers['content-encoding']).toBe('br');
    expect(JSON.parse(decoded(doc)).openapi).toBe('3.1.0');
  });
});

describe('answers under the threshold (the warm reads)', () => {
  it('are sent as they are, without a vary header', async () => {
    for (const url of ['/api/keys', '/api/stats/usage?range=7d', '/api/auth/me', '/api/stats/leaderboard']) {
      const res = await t.app.inject({ method: 'GET', url, ...as({ 'accept-encoding': BROWSER }) });
      expect(res.statusCode, url).toBe(200);
      expect(res.body.length, url).toBeLessThan(t.config.compressMinBytes!);
      expect(res.headers['content-encoding'], url).toBeUndefined();
      expect(res.headers.vary, url).toBeUndefined();
    }
  });
});

describe('answers carrying a secret', () => {
  it('are never compressed: key create, register, login, invite codes', async () => {
    // Every answer is above a threshold of 0: only the route's `secret` declaration keeps these plain.
    const all = await createTestApp({ env: { COMPRESS_MIN_BYTES: '0', REGISTRATION: 'open' } });
    const admin = await createUser(all, { role: 'admin' });
    const headers = { ...authHeaders(admin), 'accept-encoding': BROWSER };
    const control = await all.app.inject({ method: 'GET', url: '/api/keys', headers });
    expect(control.headers['content-encoding'], 'a threshold of 0 compresses the rest').toBe('br');

    const created = await all.app.inject({ method: 'POST', url: '/api/keys', headers, payload: { name: 'plain' } });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.headers['content-encoding']).toBeUndefined();
    expect(created.json().secret).toMatch(/^cr_/);

    const email = `plain-${Date.now()}@example.test`;
    const body = { email, password: TEST_PASSWORD };
    const registered = await all.app.inject({
      method: 'POST',
      url: '/api/auth/register',
      headers: { 'accept-encoding': BROWSER },
      payload: body,
    });
    expect(registered.statusCode, registered.body).toBe(201);
    expect(registered.headers['content-encoding']).toBeUndefined();
    const login = await all.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'accept-encoding': BROWSER },
      payload: body,
    });
    expect(login.statusCode, login.body).toBe(200);
    expect(login.headers['content-encoding']).toBeUndefined();
    expect(login.json().token).toBeTruthy();

    const invites = await all.app.inject({ method: 'POST', url: '/api/admin/invites', headers, payload: {} });
    expect(invites.statusCode, invites.body).toBe(201);
    expect(invites.headers['content-encoding']).toBeUndefined();
    const list = await all.app.inject({ method: 'GET', url: '/api/admin/invites', headers });
    expect(list.headers['content-encoding']).toBeUndefined();
    expect(list.json().items[0].code).toBe(invites.json().codes[0]);
  });
});

describe('COMPRESS_MIN_BYTES=off', () => {
  it('compresses nothing', async () => {
    const off = await createTestApp({ env: { COMPRESS_MIN_BYTES: 'off' } });
    expect(off.config.compressMinBytes).toBeNull();
    const doc = await off.app.inject({ method: 'GET', url: '/openapi.json', headers: { 'accept-encoding': BROWSER } });
    expect(doc.headers['content-encoding']).toBeUndefined();
  });
});

describe('pickEncoding', () => {
  it.each([
    [undefined, undefined],
    ['', undefined],
    ['identity', undefined],
    ['gzip, deflate, br, zstd', 'br'],
    ['gzip;q=1.0, br;q=0.5', 'br'],
    ['br;q=0, gzip', 'gzip'],
    ['br;q=0.000, gzip;q=0', undefined],
    ['BR', 'br'],
    ['*', 'gzip'],
    ['deflate', undefined],
  ])('%j → %s', (header, expected) => {
    expect(pickEncoding(header)).toBe(expected);
  });
});
