import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditLog, users } from '../../src/infra/db/schema.js';
import { createTestApp } from '../helpers/app.js';
import { createUser, expectBadRequest, expectError } from '../helpers/security-suite.js';

const t = await createTestApp();
let ipSeq = 0;
/** Each test signs in from its own address, so the per-IP budget of one test does not leak into another. */
const freshIp = () => `10.0.${Math.floor(++ipSeq / 250)}.${ipSeq % 250}`;

const login = (payload: unknown, remoteAddress = '127.0.0.1') =>
  t.app.inject({ method: 'POST', url: '/api/auth/login', payload: payload as object, remoteAddress });

describe('POST /api/auth/login', () => {
  it('answers {user, token, expiresAt} with a cookie, records last_login_at and the audit row', async () => {
    const u = await createUser(t, { displayName: 'Lin' });
    await t.deps.database.db.update(users).set({ lastLoginAt: null }).where(eq(users.id, u.id));
    const res = await login({ email: u.email.toUpperCase(), password: u.password });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.user).toEqual({
      id: u.id,
      email: u.email,
      displayName: 'Lin',
      role: 'user',
      createdAt: expect.any(String),
    });
    expect(body.token).not.toBe(u.token);
    expect(res.cookies.find((c) => c.name === 'kp_session')?.value).toBe(body.token);
    const [row] = await t.deps.database.db.select().from(users).where(eq(users.id, u.id));
    expect(row.lastLoginAt).toBeInstanceOf(Date);
    const actions = await t.deps.database.db
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(eq(auditLog.actorUserId, u.id));
    expect(actions.filter((a) => a.action === 'user.login')).toHaveLength(2); // createUser's and this one
  });

  it('gives the same 401 for an unknown email, a wrong password and a disabled account', async () => {
    const u = await createUser(t);
    const disabled = await createUser(t);
    await t.deps.database.db.update(users).set({ status: 'disabled' }).where(eq(users.id, disabled.id));

    const unknown = await login({ email: 'nobody@example.com', password: 'whatever password' }, freshIp());
    const wrong = await login({ email: u.email, password: 'not the password' }, freshIp());
    const off = await login({ email: disabled.email, password: disabled.password }, freshIp());
    for (const res of [unknown, wrong, off]) expectError(res, 401, 'unauthorized');
    const words = [unknown, wrong, off].map((r) => r.json().error.message);
    expect(new Set(words).size).toBe(1);
  });

  const ok = { email: 'a@example.com', password: 'x' };
  it.each([
    ['missing email', { password: 'x' }, 'email'],
    ['bad email', { ...ok, email: 'bad' }, 'email'],
    ['email as an array', { ...ok, email: ['a@example.com'] }, 'email'],
    ['missing password', { email: ok.email }, 'password'],
    ['empty password', { ...ok, password: '' }, 'password'],
    ['password over 200 characters', { ...ok, password: 'x'.repeat(201) }, 'password'],
    ['password as a number', { ...ok, password: 12345678901 }, 'password'],
    ['an unknown field', { ...ok, remember: true }, 'remember'],
  ])('%s → 400 naming the field', async (_case, payload, field) => {
    expectBadRequest(await login(payload), field);
  });

  it('refuses malformed JSON with 400', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{email: x}',
    });
    expectBadRequest(res, 'body');
  });
});

// The sign-in limits (per account, address and known device) are tested in tests/security/login-limits.test.ts.

describe('login CSRF', () => {
  it('refuses a login or registration posted from another site, accepts one from this site', async () => {
    const t3 = await createTestApp();
    const email = `csrf-${Date.now()}@example.com`;
    const foreign = { origin: 'https://evil.example', host: 'portal.example' };
    const reg = await t3.app.inject({
      method: 'POST',
      url: '/api/auth/register',
      headers: foreign,
      payload: { email, password: 'long enough password' },
    });
    expect(reg.statusCode).toBe(403);
    const same = { origin: 'https://portal.example', host: 'portal.example' };
    const ok = await t3.app.inject({
      method: 'POST',
      url: '/api/auth/register',
      headers: same,
      payload: { email, password: 'long enough password' },
    });
    expect(ok.statusCode).toBe(201);
    const login = await t3.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: foreign,
      payload: { email, password: 'long enough password' },
    });
    expect(login.statusCode).toBe(403);
    expect(login.headers['set-cookie']).toBeUndefined();
  });
});
