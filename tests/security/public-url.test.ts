import { describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.js';
import { authHeaders, createUser, expectError, TEST_PASSWORD } from '../helpers/security-suite.js';

/*
 * Issue 10, points 11 and 12: the portal's own origin (PUBLIC_URL) drives HSTS, the `__Host-` Secure cookies and the
 * Origin check; X-Forwarded-Host counts only from a trusted proxy; two session cookies are refused.
 */
const https = await createTestApp({ env: { PUBLIC_URL: 'https://portal.example.com' } });
const plain = await createTestApp({ env: { CRS_PUBLIC_URL: 'https://relay.example.com' } });

const signIn = async (t: typeof https, headers: Record<string, string> = {}) => {
  const u = await createUser(t);
  return t.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    headers,
    payload: { email: u.email, password: TEST_PASSWORD },
  });
};

describe('HSTS', () => {
  it('is sent when PUBLIC_URL is https, on answers and errors alike', async () => {
    for (const url of ['/api/meta', '/api/nope']) {
      const res = await https.app.inject({ method: 'GET', url });
      expect(res.headers['strict-transport-security']).toBe('max-age=31536000');
    }
  });

  it('is not switched on by CRS_PUBLIC_URL (the relay’s scheme, not the portal’s)', async () => {
    const res = await plain.app.inject({ method: 'GET', url: '/api/meta' });
    expect(res.headers['strict-transport-security']).toBeUndefined();
  });
});

describe('session cookie', () => {
  it('is __Host-kp_session, Secure, Path=/, no Domain, when PUBLIC_URL is https', async () => {
    const res = await signIn(https);
    const cookies = [res.headers['set-cookie']].flat().map(String);
    const session = cookies.find((c) => c.startsWith('__Host-kp_session='))!;
    expect(session).toMatch(/; Secure/);
    expect(session).toContain('Path=/');
    expect(session).not.toMatch(/Domain=/i);
    expect(cookies.find((c) => c.startsWith('__Host-kp_device='))).toMatch(/; Secure/);

    const token = res.json().token;
    const me = (cookie: string) => https.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } });
    expect((await me(`__Host-kp_session=${token}`)).statusCode).toBe(200);
    // A bare kp_session (what a sibling subdomain could set) is not read at all.
    expectError(await me(`kp_session=${token}`), 401, 'unauthorized');
  });

  it('stays kp_session without Secure on plain http (demo, loopback)', async () => {
    const res = await signIn(plain);
    const cookies = [res.headers['set-cookie']].flat().map(String);
    const session = cookies.find((c) => c.startsWith('kp_session='))!;
    expect(session).not.toMatch(/Secure/);
  });

  it('refuses two session cookies instead of taking the first (a planted one may come first)', async () => {
    const victim = (await signIn(https)).json().token;
    const attacker = (await signIn(https)).json().token;
    const res = await https.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { cookie: `__Host-kp_session=${attacker}; __Host-kp_session=${victim}` },
    });
    expectError(res, 401, 'unauthorized');
    expect(res.json().error.message).toMatch(/two session cookies/i);
  });
});

describe('Origin check', () => {
  const logout = (t: typeof https, token: string, headers: Record<string, string>) =>
    t.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { cookie: `${t.app.cookieNames.session}=${token}`, ...headers },
    });

  it('with PUBLIC_URL: only that exact origin (scheme, host and port) may write', async () => {
    const u = await createUser(https);
    const host = { host: 'portal.example.com' };
    expectError(await logout(https, u.token, { ...host, origin: 'http://portal.example.com' }), 403, 'forbidden');
    expectError(await logout(https, u.token, { ...host, origin: 'https://portal.example.com:8443' }), 403, 'forbidden');
    expect((await logout(https, u.token, { ...host, origin: 'https://portal.example.com' })).statusCode).toBe(204);
  });

  it('without TRUST_PROXY, X-Forwarded-Host cannot make a foreign Origin look expected', async () => {
    const u = await createUser(plain);
    const forged = { host: 'portal.example', origin: 'https://evil.example', 'x-forwarded-host': 'evil.example' };
    expectError(await logout(plain, u.token, forged), 403, 'forbidden');
    expect((await plain.app.inject({ method: 'GET', url: '/api/auth/me', headers: authHeaders(u) })).statusCode).toBe(
      200,
    );
  });

  it('with a trusted proxy, X-Forwarded-Host is the host the browser used', async () => {
    const proxied = await createTestApp({ env: { TRUST_PROXY: '127.0.0.1' } });
    const u = await createUser(proxied);
    const viaProxy = {
      host: 'portal-internal:3000',
      origin: 'https://portal.example',
      'x-forwarded-host': 'portal.example',
    };
    expect((await logout(proxied, u.token, viaProxy)).statusCode).toBe(204);
  });
});

describe('links', () => {
  it('invite links are built on PUBLIC_URL', async () => {
    const admin = await createUser(https, { role: 'admin' });
    const res = await https.app.inject({
      method: 'POST',
      url: '/api/admin/invites',
      headers: authHeaders(admin),
      payload: { count: 1 },
    });
    const { codes, links } = res.json();
    expect(links).toEqual([`https://portal.example.com/register?invite=${codes[0]}`]);
  });
});
