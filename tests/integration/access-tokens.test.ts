import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { hashToken } from '../../src/domain/accounts/tokens.js';
import { accessTokens, auditLog } from '../../src/infra/db/schema.js';
import { createTestApp } from '../helpers/app.js';
import { createKey } from '../helpers/keys.js';
import {
  authHeaders,
  createUser,
  expectBadRequest,
  expectError,
  securitySuite,
  type TestUser,
} from '../helpers/security-suite.js';
import { accountSpecs } from '../security/specs/accounts.js';

/* Personal access tokens (docs/decisions/026): shown once, stored hashed, scoped, revocable, last use recorded. */
const t = await createTestApp();
const db = t.deps.database.db;

async function newToken(u: TestUser, payload: Record<string, unknown>) {
  const res = await t.app.inject({ method: 'POST', url: '/api/tokens', headers: authHeaders(u), payload });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; token: string; prefix: string; scopes: string[] };
}
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('personal access tokens', () => {
  it('answers the token once (kpt_…), stores only its hash, lists it without it, audits the create', async () => {
    const u = await createUser(t);
    const created = await newToken(u, { name: 'status bar', scopes: ['read'] });
    expect(created.token).toMatch(/^kpt_[A-Za-z0-9_-]{43}$/);
    expect(created.prefix).toBe(created.token.slice(0, 12));
    const [row] = await db.select().from(accessTokens).where(eq(accessTokens.id, created.id));
    expect(row.tokenHash).toBe(hashToken(created.token));
    expect(JSON.stringify(row)).not.toContain(created.token.slice(4));
    const list = await t.app.inject({ method: 'GET', url: '/api/tokens', headers: authHeaders(u) });
    expect(list.json().items).toEqual([
      {
        id: created.id,
        name: 'status bar',
        prefix: created.prefix,
        scopes: ['read'],
        createdAt: expect.any(String),
        expiresAt: null,
        lastUsedAt: null,
      },
    ]);
    expect(list.body).not.toContain(created.token);
    const audit = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'token.create'), eq(auditLog.targetId, created.id)));
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit)).not.toContain(created.token);
  });

  it('a read token reads usage, limits and keys, cannot create a key (403), and records its last use', async () => {
    const u = await createUser(t);
    const key = await createKey(t, u);
    const { token, id } = await newToken(u, { name: 'read', scopes: ['read'] });
    for (const url of ['/api/keys', `/api/keys/${key.id}`, '/api/stats/usage?range=7d', '/api/me/summary']) {
      const res = await t.app.inject({ method: 'GET', url, headers: bearer(token) });
      expect(res.statusCode, `${url} ${res.body}`).toBe(200);
    }
    const create = await t.app.inject({
      method: 'POST',
      url: '/api/keys',
      headers: bearer(token),
      payload: { name: 'x' },
    });
    expectError(create, 403, 'forbidden');
    expect(create.json().error.message).toMatch(/keys scope/);
    const del = await t.app.inject({ method: 'DELETE', url: `/api/keys/${key.id}`, headers: bearer(token) });
    expectError(del, 403, 'forbidden');
    await expect
      .poll(async () => (await db.select().from(accessTokens).where(eq(accessTokens.id, id)))[0].lastUsedAt)
      .not.toBeNull();
  });

  it('a keys token manages keys; neither reaches account, token or admin routes', async () => {
    const admin = await createUser(t, { role: 'admin' });
    const { token } = await newToken(admin, { name: 'ci', scopes: ['keys', 'read'] });
    const create = await t.app.inject({
      method: 'POST',
      url: '/api/keys',
      headers: bearer(token),
      payload: { name: 'by-token' },
    });
    expect(create.statusCode, create.body).toBe(201);
    const refused: [string, string, object?][] = [
      ['GET', '/api/auth/me'],
      ['GET', '/api/auth/sessions'],
      ['POST', '/api/auth/password', { currentPassword: 'x', newPassword: 'long enough password' }],
      ['GET', '/api/tokens'],
      ['POST', '/api/tokens', { name: 'more', scopes: ['read'] }],
      ['GET', '/api/auth/mfa'],
      ['GET', '/api/admin/users'],
      ['GET', '/api/admin/overview'],
      ['PATCH', '/api/admin/settings/mfa', { mfaRequired: 'off' }],
    ];
    for (const [method, url, payload] of refused) {
      const res = await t.app.inject({ method: method as 'GET', url, headers: bearer(token), payload });
      expectError(res, 403, 'forbidden');
    }
    // The admin's own board only: a token never reads across users.
    const all = await t.app.inject({ method: 'GET', url: '/api/stats/leaderboard?scope=all', headers: bearer(token) });
    expectError(all, 403, 'forbidden');
  });

  it('is refused as a cookie, once revoked (at once), and once expired', async () => {
    const u = await createUser(t);
    const { token, id } = await newToken(u, { name: 'r', scopes: ['read'] });
    const asCookie = await t.app.inject({
      method: 'GET',
      url: '/api/keys',
      headers: { cookie: `kp_session=${token}` },
    });
    expectError(asCookie, 401, 'unauthorized');
    expect((await t.app.inject({ method: 'GET', url: '/api/keys', headers: bearer(token) })).statusCode).toBe(200);
    const revoke = await t.app.inject({ method: 'DELETE', url: `/api/tokens/${id}`, headers: authHeaders(u) });
    expect(revoke.statusCode).toBe(204);
    expectError(await t.app.inject({ method: 'GET', url: '/api/keys', headers: bearer(token) }), 401, 'unauthorized');
    expectError(
      await t.app.inject({ method: 'DELETE', url: `/api/tokens/${id}`, headers: authHeaders(u) }),
      404,
      'not_found',
    );
    const audit = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'token.revoke'), eq(auditLog.targetId, id)));
    expect(audit).toHaveLength(1);

    const soon = await newToken(u, {
      name: 'soon',
      scopes: ['read'],
      expiresAt: new Date(Date.now() + 1500).toISOString(),
    });
    expect((await t.app.inject({ method: 'GET', url: '/api/keys', headers: bearer(soon.token) })).statusCode).toBe(200);
    await new Promise((r) => setTimeout(r, 1600));
    expectError(
      await t.app.inject({ method: 'GET', url: '/api/keys', headers: bearer(soon.token) }),
      401,
      'unauthorized',
    );
  });

  it('refuses bad input naming the field, and an expiry in the past', async () => {
    const u = await createUser(t);
    const post = (payload: object) =>
      t.app.inject({ method: 'POST', url: '/api/tokens', headers: authHeaders(u), payload });
    expectBadRequest(await post({ name: 'x', scopes: [] }), 'scopes');
    expectBadRequest(await post({ name: 'x', scopes: ['admin'] }), 'scopes.0');
    expectBadRequest(await post({ name: '', scopes: ['read'] }), 'name');
    expectBadRequest(await post({ name: 'x', scopes: ['read'], expiresAt: '2020-01-01T00:00:00Z' }), 'expiresAt');
  });

  it('dies with its user: a disabled owner’s token is refused at once', async () => {
    const admin = await createUser(t, { role: 'admin' });
    const u = await createUser(t);
    const { token } = await newToken(u, { name: 'r', scopes: ['read'] });
    expect((await t.app.inject({ method: 'GET', url: '/api/keys', headers: bearer(token) })).statusCode).toBe(200);
    const off = await t.app.inject({
      method: 'PATCH',
      url: `/api/admin/users/${u.id}`,
      headers: authHeaders(admin),
      payload: { status: 'disabled' },
    });
    expect(off.statusCode, off.body).toBe(200);
    expectError(await t.app.inject({ method: 'GET', url: '/api/keys', headers: bearer(token) }), 401, 'unauthorized');
    // Re-enabling the account does not bring its tokens back.
    await t.app.inject({
      method: 'PATCH',
      url: `/api/admin/users/${u.id}`,
      headers: authHeaders(admin),
      payload: { status: 'active' },
    });
    expectError(await t.app.inject({ method: 'GET', url: '/api/keys', headers: bearer(token) }), 401, 'unauthorized');
  });
});

for (const spec of accountSpecs(t)) securitySuite(t, spec);
