import { eq } from 'drizzle-orm';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { hashToken } from '../../src/domain/accounts/tokens.js';
import { sessions } from '../../src/infra/db/schema.js';
import { housekeepingJob } from '../../src/jobs/housekeeping.js';
import { createTestApp } from '../helpers/app.js';
import { redisPrefix } from '../helpers/db.js';
import { createKey } from '../helpers/keys.js';
import { authHeaders, createUser, expectError, login } from '../helpers/security-suite.js';

/*
 * Issue 10, point 7: key writes are limited per user (shared by every instance), live sessions are capped with
 * the oldest revoked, dead sessions are purged by a job, and the session list is paged.
 */
let offsetMs = 0;
const prefix = redisPrefix();
const t = await createTestApp({
  env: { KEY_WRITES_PER_MINUTE: '4', SESSION_MAX_PER_USER: '3' },
  clock: () => new Date(Date.now() + offsetMs),
  redisPrefix: prefix,
});

describe('key writes per user', () => {
  it('refuse the write over the budget with 429 + Retry-After, before CRS, for that user only', async () => {
    const u = await createUser(t);
    const key = await createKey(t, u);
    const write = [
      () =>
        t.app.inject({ method: 'PATCH', url: `/api/keys/${key.id}`, headers: authHeaders(u), payload: { name: 'a' } }),
      () => t.app.inject({ method: 'POST', url: '/api/keys', headers: authHeaders(u), payload: { name: 'b' } }),
      () => t.app.inject({ method: 'DELETE', url: `/api/keys/${key.id}`, headers: authHeaders(u) }),
    ];
    for (const w of write) expect((await w()).statusCode).toBeLessThan(300);
    const before = t.emulator.requestCount();
    const refused = await write[1]();
    expectError(refused, 429, 'rate_limited');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(t.emulator.requestCount()).toBe(before);

    // Reads go on, and so do other users' writes.
    expect((await t.app.inject({ method: 'GET', url: '/api/keys', headers: authHeaders(u) })).statusCode).toBe(200);
    await createKey(t, await createUser(t));
    offsetMs += 61_000;
    expect((await write[1]()).statusCode).toBe(201);
  });

  it('share one budget across instances', async () => {
    const b = await createTestApp({
      env: { KEY_WRITES_PER_MINUTE: '4' },
      databaseUrl: t.databaseUrl,
      emulator: t.emulator,
      redisPrefix: prefix,
      clock: () => new Date(Date.now() + offsetMs),
    });
    const u = await createUser(t);
    for (const app of [t, b, t, b]) await createKey(app, u);
    for (const app of [t, b]) {
      const res = await app.app.inject({
        method: 'POST',
        url: '/api/keys',
        headers: authHeaders(u),
        payload: { name: 'x' },
      });
      expectError(res, 429, 'rate_limited');
    }
  });
});

describe('sessions', () => {
  const live = async (userId: string) =>
    (await t.deps.database.db.select().from(sessions).where(eq(sessions.userId, userId))).filter((s) => !s.revokedAt);

  it('are capped per user: a new sign-in revokes the oldest, whose token stops at once', async () => {
    const u = await createUser(t);
    const tokens = [u.token, await login(t, u.email, u.password), await login(t, u.email, u.password)];
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: authHeaders(u) })).statusCode).toBe(200);
    tokens.push(await login(t, u.email, u.password));
    expect(await live(u.id)).toHaveLength(3);
    expectError(
      await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: authHeaders(u) }),
      401,
      'unauthorized',
    );
    for (const token of tokens.slice(1)) {
      expect(
        (await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: authHeaders({ token }) })).statusCode,
      ).toBe(200);
    }
  });

  it('are listed a page at a time with the total', async () => {
    const u = await createUser(t);
    await login(t, u.email, u.password);
    await login(t, u.email, u.password);
    const page = (q: string) =>
      t.app.inject({ method: 'GET', url: `/api/auth/sessions${q}`, headers: authHeaders(u) }).then((r) => r.json());
    const first = await page('?pageSize=2');
    const second = await page('?pageSize=2&page=2');
    expect(first).toMatchObject({ page: 1, pageSize: 2, total: 3 });
    expect(first.items).toHaveLength(2);
    expect(second.items).toHaveLength(1);
    const ids = [...first.items, ...second.items].map((s: { id: string }) => s.id);
    expect(new Set(ids).size).toBe(3);
  });

  it('that expired or were revoked are purged by the housekeeping job', async () => {
    const u = await createUser(t);
    const revoked = await login(t, u.email, u.password);
    await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: authHeaders({ token: revoked }) });
    const expired = await login(t, u.email, u.password);
    await t.deps.database.db
      .update(sessions)
      .set({ expiresAt: new Date(0) })
      .where(eq(sessions.tokenHash, hashToken(expired)));
    const rows = () => t.deps.database.db.select().from(sessions).where(eq(sessions.userId, u.id));
    expect(await rows()).toHaveLength(3);

    await housekeepingJob(t.app.services.accounts, pino({ level: 'silent' })).run();
    expect((await rows()).map((s) => s.tokenHash)).toEqual([hashToken(u.token)]);
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: authHeaders(u) })).statusCode).toBe(200);
  });
});
