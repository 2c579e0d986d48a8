import { get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { eq } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { apiKeys, users } from '../../src/infra/db/schema.js';
import { createLogger } from '../../src/logger.js';
import { capturedLogs, createTestApp } from '../helpers/app.js';
import { createKey } from '../helpers/keys.js';
import { authHeaders, createUser, expectBadRequest } from '../helpers/security-suite.js';

/*
 * Issue 10, points 4 and 8: control characters and absurd dates are a 400 naming the field before anything reaches
 * CRS or SQL; an export that fails midway ends so the client can tell, and is logged with its request id; no log
 * line carries SQL or its parameters.
 */
const { lines, logStream } = capturedLogs();
const t = await createTestApp({ logStream });
const user = await createUser(t, { role: 'admin' });
const as = { headers: authHeaders(user) };
const inject = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) =>
  t.app.inject({ method, url, ...as, payload: payload as object });

describe('control characters', () => {
  it.each([
    ['NUL', 'a\u0000b'],
    ['CR', 'a\rb'],
    ['LF', 'a\nb'],
    ['ESC', '\u001b[31mred'],
    ['DEL', 'a\u007fb'],
    ['a C1 control', 'a\u0085b'],
    ['a bidi override', 'invoice\u202Eexe.pdf'],
  ])('in a key name (%s) → 400 naming it, and CRS is never called', async (_what, name) => {
    const before = t.emulator.requestCount();
    const keys = await t.deps.database.db.$count(apiKeys);
    expectBadRequest(await inject('POST', '/api/keys', { name }), 'name');
    expect(t.emulator.requestCount()).toBe(before);
    expect(await t.deps.database.db.$count(apiKeys)).toBe(keys);
  });

  it('lets a description span lines, but refuses other control characters in it', async () => {
    const ok = await inject('POST', '/api/keys', { name: 'multi-line', description: 'line one\nline two\ttabbed' });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().key.description).toBe('line one\nline two\ttabbed');
    expectBadRequest(await inject('POST', '/api/keys', { name: 'k', description: 'a\u0000b' }), 'description');
    expectBadRequest(
      await inject('PATCH', `/api/keys/${ok.json().key.id}`, { description: '\u001b]0;x\u0007' }),
      'description',
    );
    expectBadRequest(await inject('PATCH', `/api/keys/${ok.json().key.id}`, { name: 'renamed\r\n' + 'x' }), 'name');
  });

  it.each([
    ['/api/keys?search=a%00b', 'search'],
    ['/api/admin/users?search=a%1bb', 'search'],
  ])('in a search (%s) → 400', async (url, field) => {
    expectBadRequest(await inject('GET', url), field);
  });

  it.each([
    ['displayName', { displayName: 'Eve\u0000' }],
    ['email', { email: 'eve\u0000@example.com' }],
    ['inviteCode', { inviteCode: 'code\u0000' }],
    ['setupToken', { setupToken: 'token\n' + 'x' }],
  ])('in a registration’s %s → 400 naming it', async (field, extra) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/register',
      payload: { email: 'eve@example.com', password: 'long enough password', ...extra },
    });
    expectBadRequest(res, field);
  });
});

describe('dates outside 2000-01-01 … 2100-12-31', () => {
  it.each([
    ['/api/stats/usage?from=0000-01-01&to=2026-01-01', 'from'],
    ['/api/stats/usage?from=1999-12-31&to=2000-01-05', 'from'],
    ['/api/stats/usage?from=2100-12-30&to=2101-01-01', 'to'],
    ['/api/stats/export?from=9999-01-01&to=9999-12-31', 'from'],
    ['/api/stats/leaderboard?from=0001-01-01&to=0001-01-02', 'from'],
  ])('%s → 400 naming %s', async (url, field) => {
    expectBadRequest(await inject('GET', url), field);
  });

  it('in a key expiry → 400 naming it, before CRS', async () => {
    const before = t.emulator.requestCount();
    for (const expiresAt of ['1900-01-01T00:00:00Z', '9999-12-31T00:00:00Z']) {
      expectBadRequest(await inject('POST', '/api/keys', { name: 'k', expiresAt }), 'expiresAt');
    }
    expect(t.emulator.requestCount()).toBe(before);
  });
});

describe('an export that fails midway', () => {
  it('is cut off (not ended cleanly) and logged with its request id, without SQL', async () => {
    await createKey(t, user);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const port = (t.app.server.address() as AddressInfo).port;
    // Another session holds usage_daily: the export's first query waits on it, after the header row went out.
    const locker = new pg.Client({ connectionString: t.databaseUrl });
    locker.on('error', () => {});
    await locker.connect();
    afterAll(() => locker.end().catch(() => {}));
    await locker.query('begin');
    await locker.query('lock table usage_daily in access exclusive mode');

    const download = new Promise<{ requestId: string; complete: boolean; body: string }>((resolve) => {
      get({ port, path: '/api/stats/export?format=csv&range=365d', headers: authHeaders(user) }, (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('error', () => {});
        res.on('close', () =>
          resolve({ requestId: String(res.headers['x-request-id']), complete: res.complete, body }),
        );
      });
    });
    let pid: number | undefined;
    for (let i = 0; i < 200 && !pid; i++) {
      // Matched by its wait, not its text: a statement waiting while it is parsed still shows the previous one.
      const { rows } = await locker.query(
        `select pid from pg_stat_activity
          where datname = current_database() and wait_event_type = 'Lock' and pid <> pg_backend_pid()`,
      );
      pid = rows[0]?.pid;
      if (!pid) await new Promise((r) => setTimeout(r, 25));
    }
    expect(pid, 'the export query never waited on the lock').toBeDefined();
    await locker.query('select pg_cancel_backend($1)', [pid]);
    await locker.query('rollback');

    const { requestId, complete, body } = await download;
    expect(body.startsWith('\uFEFFdate,keyId,key,model,requests,tokens,')).toBe(true);
    expect(complete).toBe(false);
    const logged = lines.filter((l) => l.includes('export failed'));
    expect(logged).toHaveLength(1);
    const entry = JSON.parse(logged[0]);
    expect(entry).toMatchObject({ level: 50, reqId: requestId, err: { code: '57014' } });
    expect(logged[0]).not.toMatch(/usage_daily|select|params/i);
    expect(logged[0]).not.toContain(user.id);
  });
});

describe('logs never hold SQL parameters', () => {
  it('logs a failed query with the database’s message and code only', async () => {
    const out: string[] = [];
    const logger = createLogger(
      'info',
      new Writable({
        write(chunk, _enc, done) {
          out.push(String(chunk));
          done();
        },
      }),
    );
    const secret = 'cr_secret-looking-value-0123456789';
    const err = await t.deps.database.db
      .insert(users)
      .values({ email: user.email, passwordHash: secret, displayName: 'dup' })
      .catch((e: unknown) => e);
    logger.error({ err }, 'unhandled error');
    const line = out.join('');
    expect(line).toContain('23505');
    expect(line).toContain('duplicate key value');
    for (const leak of [secret, user.email, 'insert into', 'params']) expect(line).not.toContain(leak);
    // Still a real failure of a real query: the row is not there.
    expect(await t.deps.database.db.$count(users, eq(users.passwordHash, secret))).toBe(0);
  });
});
