import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { hashToken } from '../../src/domain/accounts/tokens.js';
import { createTestApp } from '../helpers/app.js';
import { authHeaders, cookieHeaders, createUser, expectError } from '../helpers/security-suite.js';

const t = await createTestApp({ env: { TRUST_PROXY: '1' } });
const PASSWORD = 'the secret password';
let n = 0;
const register = (extra: Record<string, string> = {}) =>
  t.app.inject({
    method: 'POST',
    url: '/api/auth/register',
    headers: extra,
    payload: { email: `sec-${++n}@example.com`, password: PASSWORD },
  });

describe('session cookie', () => {
  it('is HttpOnly, SameSite=Lax, Path=/, lives as long as the session, not Secure over http', async () => {
    const res = await register();
    const header = String(res.headers['set-cookie']);
    expect(header).toMatch(/^kp_session=[A-Za-z0-9_-]{43};/);
    expect(header).toContain('HttpOnly');
    expect(header).toContain('SameSite=Lax');
    expect(header).toContain('Path=/');
    expect(header).toContain(`Max-Age=${t.config.sessionTtlHours * 3600}`);
    expect(header).not.toContain('Secure');
  });

  it('is Secure when the request came over https (behind a trusted proxy)', async () => {
    const res = await register({ 'x-forwarded-proto': 'https' });
    expect(String(res.headers['set-cookie'])).toContain('Secure');
  });
});

describe('CSRF: cookie-authenticated writes check the Origin', () => {
  const logout = (headers: Record<string, string>) =>
    t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { host: 'portal.example', ...headers } });
  const me = (headers: Record<string, string>) =>
    t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { host: 'portal.example', ...headers } });

  it('refuses a foreign or opaque Origin with 403 and leaves the session alone', async () => {
    const u = await createUser(t);
    expectError(await logout({ ...cookieHeaders(u), origin: 'https://evil.example' }), 403, 'forbidden');
    expectError(await logout({ ...cookieHeaders(u), origin: 'null' }), 403, 'forbidden');
    expect((await me(authHeaders(u))).statusCode).toBe(200);
  });

  it('accepts the same origin', async () => {
    const u = await createUser(t);
    expect((await logout({ ...cookieHeaders(u), origin: 'https://portal.example' })).statusCode).toBe(204);
  });

  it('accepts a foreign Origin with a bearer token (no ambient credential to abuse)', async () => {
    const u = await createUser(t);
    expect((await logout({ ...authHeaders(u), origin: 'https://evil.example' })).statusCode).toBe(204);
  });

  it('does not apply to reads', async () => {
    const u = await createUser(t);
    expect((await me({ ...cookieHeaders(u), origin: 'https://evil.example' })).statusCode).toBe(200);
  });
});

describe('secrets', () => {
  it('the database holds neither the password nor the session token', async () => {
    const res = await register();
    const { token, user } = res.json();
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: user.email, password: PASSWORD },
    });
    const tokens = [token, login.json().token];
    const dump = JSON.stringify(
      await Promise.all(
        ['users', 'sessions', 'audit_log', 'invites'].map((table) =>
          t.deps.database.db.execute(sql.raw(`select row_to_json(x) as r from ${table} x`)),
        ),
      ),
    );
    expect(dump).toContain(user.id); // the dump did read the rows
    expect(dump).toContain(hashToken(token));
    for (const secret of [PASSWORD, ...tokens]) expect(dump).not.toContain(secret);
    expect(dump).toMatch(/\$argon2id\$/);
  });

  it('no answer carries a password hash', async () => {
    const res = await register();
    const me = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: authHeaders(res.json()) });
    for (const body of [res.body, me.body]) {
      expect(body).not.toContain('argon2');
      // No field about the password (`passwordHash`, `password_hash`…); "method":"password" says how it signed in.
      expect(body).not.toMatch(/"[^"]*password[^"]*"\s*:/i);
    }
  });

  it('log lines at trace level never contain a password or a session token', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const app = await buildApp({ ...t.deps, logger: pino({ level: 'trace' }, stream) });
    await app.ready();
    afterAll(() => app.close());
    const go = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: unknown, headers = {}) =>
      app.inject({ method, url, payload: payload as object, headers });

    const email = `logs-${Date.now()}@example.com`;
    const secrets = [PASSWORD, 'a second secret password', 'wrong password guess'];
    const reg = await go('POST', '/api/auth/register', { email, password: PASSWORD });
    const token = reg.json().token as string;
    await go('POST', '/api/auth/login', { email, password: secrets[2] });
    const login = await go('POST', '/api/auth/login', { email, password: PASSWORD });
    const tokens = [token, login.json().token as string];
    await go('POST', '/api/auth/login', `{"email": "${email}", "password": "${secrets[2]}"`, {
      'content-type': 'application/json',
    });
    await go('GET', '/api/auth/me', undefined, authHeaders({ token }));
    await go('GET', '/api/auth/me', undefined, cookieHeaders({ token }));
    await go('GET', '/api/auth/sessions', undefined, authHeaders({ token }));
    await go(
      'POST',
      '/api/auth/password',
      { currentPassword: secrets[2], newPassword: secrets[1] },
      authHeaders({ token }),
    );
    await go(
      'POST',
      '/api/auth/password',
      { currentPassword: PASSWORD, newPassword: secrets[1] },
      authHeaders({ token }),
    );
    await go('POST', '/api/auth/logout', undefined, authHeaders({ token }));
    await go('GET', '/api/auth/me', undefined, authHeaders({ token }));

    expect(lines.length).toBeGreaterThan(10); // the app did log: one access line per request at least
    const all = lines.join('');
    for (const secret of [...secrets, ...tokens, ...tokens.map(hashToken)]) expect(all).not.toContain(secret);
  });
});

describe('the OpenAPI document', () => {
  it('describes the auth routes', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    const paths = Object.keys(res.json().paths);
    for (const p of ['/api/auth/register', '/api/auth/login', '/api/auth/sessions/{id}']) expect(paths).toContain(p);
  });
});
