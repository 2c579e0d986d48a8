import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { LOGIN_LIMITS } from '../../src/domain/accounts/rate-limit.js';
import { auditLog, sessions } from '../../src/infra/db/schema.js';
import { createTestApp } from '../helpers/app.js';
import { createUser } from '../helpers/security-suite.js';

/*
 * Issue 10, point 2: behind one proxy hop (TRUST_PROXY=1) the client address is the one the proxy appended to
 * X-Forwarded-For; entries a client wrote itself are ignored. The proxy here does what nginx's
 * $proxy_add_x_forwarded_for and Caddy do: append the peer's address and pass the request on.
 */
const t = await createTestApp({ env: { TRUST_PROXY: '1' } });
await t.app.listen({ port: 0, host: '127.0.0.1' });
const portalPort = (t.app.server.address() as AddressInfo).port;

const proxy: Server = createServer((req, res) => {
  const given = req.headers['x-forwarded-for'];
  const headers = {
    ...req.headers,
    'x-forwarded-for': given ? `${given}, ${req.socket.remoteAddress}` : req.socket.remoteAddress,
  };
  const upstream = request(
    { host: '127.0.0.1', port: portalPort, method: req.method, path: req.url, headers },
    (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    },
  );
  req.pipe(upstream);
});
await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
afterAll(() => new Promise<void>((resolve) => proxy.close(() => resolve())));
const proxyPort = (proxy.address() as AddressInfo).port;

/** A request through the proxy from the client address `from` (any 127.x address is this machine). */
function viaProxy(path: string, body: unknown, opts: { from: string; forwardedFor?: string }) {
  return new Promise<{ status: number; body: Record<string, unknown> }>((resolve, reject) => {
    const payload = JSON.stringify(body);
    const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'proxy-test' };
    if (opts.forwardedFor) headers['x-forwarded-for'] = opts.forwardedFor;
    const req = request(
      { host: '127.0.0.1', port: proxyPort, localAddress: opts.from, method: 'POST', path, headers },
      (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text || '{}') }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

describe('TRUST_PROXY=1 behind a proxy hop', () => {
  it('ignores forged X-Forwarded-For entries: the address limit still bites', async () => {
    const codes: number[] = [];
    for (let i = 0; i <= LOGIN_LIMITS.address.max; i++) {
      const forged = `198.51.100.${i % 250}, 203.0.113.${(i * 7) % 250}`;
      const res = await viaProxy(
        '/api/auth/login',
        { email: `rotating-${i}@example.com`, password: 'not the password' },
        { from: '127.0.0.3', forwardedFor: forged },
      );
      codes.push(res.status);
    }
    expect(codes.slice(0, LOGIN_LIMITS.address.max).every((c) => c === 401)).toBe(true);
    expect(codes.at(-1)).toBe(429);
    // Another client behind the same proxy is not blocked by it.
    const u = await createUser(t);
    const other = await viaProxy('/api/auth/login', { email: u.email, password: u.password }, { from: '127.0.0.4' });
    expect(other.status).toBe(200);
  });

  it('records the address the proxy saw on the session and in the audit log', async () => {
    const u = await createUser(t);
    const res = await viaProxy(
      '/api/auth/login',
      { email: u.email, password: u.password },
      { from: '127.0.0.5', forwardedFor: '6.6.6.6' },
    );
    expect(res.status).toBe(200);
    const user = res.body.user as { id: string };
    const rows = await t.deps.database.db.select().from(sessions).where(eq(sessions.userId, user.id));
    expect(rows.find((s) => s.userAgent === 'proxy-test')?.ip).toBe('127.0.0.5');
    const audits = await t.deps.database.db.select().from(auditLog).where(eq(auditLog.actorUserId, user.id));
    expect(audits.map((a) => a.ip)).toContain('127.0.0.5');
    expect(JSON.stringify([rows, audits])).not.toContain('6.6.6.6');
  });
});

describe('TRUST_PROXY values', () => {
  it('refuses "true" at start, saying what to write instead', () => {
    expect(() => loadConfig({ TRUST_PROXY: 'true' })).toThrow(ConfigError);
    expect(() => loadConfig({ TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY=1.*TRUST_PROXY=10\.0\.0\.0\/8/s);
  });

  it.each([
    ['', false],
    ['false', false],
    ['0', false],
    ['1', 1],
    ['2', 2],
    ['10.0.0.0/8, 127.0.0.1', ['10.0.0.0/8', '127.0.0.1']],
    ['::1,fd00::/8', ['::1', 'fd00::/8']],
  ])('reads %j', (value, expected) => {
    expect(loadConfig({ TRUST_PROXY: value }).trustProxy).toEqual(expected);
  });

  it.each(['yes', '10.0.0.0/33', 'example.com', '50'])('refuses %j naming TRUST_PROXY', (value) => {
    expect(() => loadConfig({ TRUST_PROXY: value })).toThrow(/TRUST_PROXY/);
  });

  it('trusts a listed proxy only: a direct client’s X-Forwarded-For is ignored', async () => {
    const listed = await createTestApp({ env: { TRUST_PROXY: '10.0.0.0/8' } });
    const u = await createUser(listed);
    const login = (remoteAddress: string) =>
      listed.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        remoteAddress,
        headers: { 'x-forwarded-for': '192.0.2.44', 'user-agent': `from ${remoteAddress}` },
        payload: { email: u.email, password: u.password },
      });
    await login('10.1.2.3');
    await login('198.51.100.9');
    const rows = await listed.deps.database.db.select().from(sessions).where(eq(sessions.userId, u.id));
    expect(rows.find((s) => s.userAgent === 'from 10.1.2.3')?.ip).toBe('192.0.2.44');
    expect(rows.find((s) => s.userAgent === 'from 198.51.100.9')?.ip).toBe('198.51.100.9');
  });
});
