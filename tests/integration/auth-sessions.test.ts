import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { hashToken } from '../../src/domain/accounts/tokens.js';
import { auditLog, sessions } from '../../src/infra/db/schema.js';
import { createTestApp } from '../helpers/app.js';
import {
  authHeaders,
  createUser,
  expectBadRequest,
  expectError,
  login,
  securitySuite,
  type TestUser,
} from '../helpers/security-suite.js';
import { authSpecs } from '../security/specs/auth.js';

const t = await createTestApp();

const me = (user: { token: string }) =>
  t.app.inject({ method: 'GET', url: '/api/auth/me', headers: authHeaders(user) });
const listSessions = (user: TestUser) =>
  t.app.inject({ method: 'GET', url: '/api/auth/sessions', headers: authHeaders(user) });
const revoke = (user: TestUser, id: string) =>
  t.app.inject({ method: 'DELETE', url: `/api/auth/sessions/${id}`, headers: authHeaders(user) });
const sessionRow = async (token: string) =>
  (
    await t.deps.database.db
      .select()
      .from(sessions)
      .where(eq(sessions.tokenHash, hashToken(token)))
  )[0];

describe('POST /api/auth/logout', () => {
  it('revokes the session, clears the cookie, and the token stops working at once', async () => {
    const u = await createUser(t);
    expect((await me(u)).statusCode).toBe(200); // the auth cache now holds the session
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: authHeaders(u) });
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
    const cleared = res.cookies.find((c) => c.name === 'kp_session');
    expect(cleared?.value).toBe('');
    expect(cleared?.expires?.getTime() ?? cleared?.maxAge).toBeLessThanOrEqual(Date.now());
    expect((await sessionRow(u.token)).revokedAt).toBeInstanceOf(Date);
    expectError(await me(u), 401, 'unauthorized');

    const actions = await t.deps.database.db.select().from(auditLog).where(eq(auditLog.actorUserId, u.id));
    expect(actions.map((a) => a.action)).toContain('user.logout');
  });

  it('leaves the user’s other sessions alone', async () => {
    const u = await createUser(t);
    const other = await login(t, u.email, u.password);
    await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: authHeaders(u) });
    expect((await me({ token: other })).statusCode).toBe(200);
  });
});

describe('GET /api/auth/sessions', () => {
  it('lists only the caller’s live sessions and marks the current one', async () => {
    const u = await createUser(t);
    const second = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'user-agent': 'curl/8.5' },
      remoteAddress: '10.9.8.7',
      payload: { email: u.email, password: u.password },
    });
    const revoked = await login(t, u.email, u.password);
    await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: authHeaders({ token: revoked }) });
    const expired = await login(t, u.email, u.password);
    await t.deps.database.db
      .update(sessions)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(sessions.tokenHash, hashToken(expired)));
    await createUser(t); // someone else's session must not show up

    const res = await listSessions(u);
    expect(res.statusCode).toBe(200);
    const items = res.json().items as Record<string, unknown>[];
    expect(items).toHaveLength(2);
    for (const item of items) {
      expect(Object.keys(item).sort()).toEqual([
        'createdAt',
        'current',
        'id',
        'ip',
        'lastSeenAt',
        'method',
        'userAgent',
      ]);
    }
    const current = items.find((i) => i.current)!;
    expect(current.id).toBe((await sessionRow(u.token)).id);
    expect(items.find((i) => !i.current)).toMatchObject({ userAgent: 'curl/8.5', ip: '10.9.8.7' });
    expect(JSON.stringify(items)).not.toContain(second.json().token);
  });
});

describe('DELETE /api/auth/sessions/:id', () => {
  it('revokes another session of mine: its token stops working at once', async () => {
    const u = await createUser(t);
    const other = await login(t, u.email, u.password);
    expect((await me({ token: other })).statusCode).toBe(200); // cached
    const id = (await sessionRow(other)).id;
    expect((await revoke(u, id)).statusCode).toBe(204);
    expectError(await me({ token: other }), 401, 'unauthorized');
    expect((await me(u)).statusCode).toBe(200);
    expectError(await revoke(u, id), 404, 'not_found'); // already revoked
    const rows = await t.deps.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'session.revoke'), eq(auditLog.targetId, id)));
    expect(rows).toHaveLength(1);
  });

  it('revoking the current session signs out and clears the cookie', async () => {
    const u = await createUser(t);
    const res = await revoke(u, (await sessionRow(u.token)).id);
    expect(res.statusCode).toBe(204);
    expect(res.cookies.find((c) => c.name === 'kp_session')?.value).toBe('');
    expectError(await me(u), 401, 'unauthorized');
  });

  it('answers 404 for another user’s session (and leaves it alone) and for an unknown id', async () => {
    const a = await createUser(t);
    const b = await createUser(t);
    expectError(await revoke(b, (await sessionRow(a.token)).id), 404, 'not_found');
    expect((await me(a)).statusCode).toBe(200);
    expectError(await revoke(b, randomUUID()), 404, 'not_found');
  });

  it('answers 400 naming id for a malformed id', async () => {
    const u = await createUser(t);
    expectBadRequest(await revoke(u, 'not-a-uuid'), 'id');
    expectBadRequest(await revoke(u, "1' or '1'='1"), 'id');
  });
});

for (const spec of authSpecs(t)) securitySuite(t, spec);
