import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditLog, users } from '../../src/infra/db/schema.js';
import { createTestApp } from '../helpers/app.js';
import { expectBadRequest, expectError } from '../helpers/security-suite.js';

const t = await createTestApp();
const withAdmin = await createTestApp({ env: { ADMIN_EMAIL: 'Ops@Example.com' } });
const PASSWORD = 'a long enough password';
let n = 0;
const email = () => `reg-${++n}-${Date.now()}@example.com`;

const register = (payload: unknown) =>
  t.app.inject({ method: 'POST', url: '/api/auth/register', payload: payload as object });

describe('POST /api/auth/register', () => {
  // First in the file: this database starts empty.
  it('makes nobody admin for being first, even when several register at once on an empty portal', async () => {
    const first = await Promise.all(
      [1, 2, 3, 4, 5, 6, 7, 8].map(() => register({ email: email(), password: PASSWORD })),
    );
    expect(first.every((r) => r.statusCode === 201)).toBe(true);
    expect(first.map((r) => r.json().user.role)).toEqual(Array(8).fill('user'));
  });

  it('answers {user, token, expiresAt} and a session cookie that works', async () => {
    const address = email();
    const res = await register({ email: address, password: PASSWORD, displayName: 'Ada' });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(Object.keys(body).sort()).toEqual(['expiresAt', 'token', 'user']);
    expect(Object.keys(body.user).sort()).toEqual(['createdAt', 'displayName', 'email', 'id', 'role']);
    expect(body.user).toMatchObject({ email: address, displayName: 'Ada', role: 'user' });
    expect(body.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const ttlMs = t.config.sessionTtlHours * 3_600_000;
    expect(Math.abs(Date.parse(body.expiresAt) - Date.now() - ttlMs)).toBeLessThan(60_000);
    const cookie = res.cookies.find((c) => c.name === 'kp_session');
    expect(cookie?.value).toBe(body.token);

    const me = await t.app.inject({ method: 'GET', url: '/api/auth/me', cookies: { kp_session: body.token } });
    expect(me.json()).toEqual({ user: body.user, method: 'password', mfa: { enrolled: false, required: false } });
  });

  it('lowercases and trims the email, defaults the display name to its local part', async () => {
    const res = await register({ email: '  Grace.Hopper@Example.COM ', password: PASSWORD });
    expect(res.statusCode).toBe(201);
    expect(res.json().user).toMatchObject({ email: 'grace.hopper@example.com', displayName: 'grace.hopper' });
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'GRACE.HOPPER@example.com', password: PASSWORD },
    });
    expect(login.statusCode).toBe(200);
  });

  it('stores HTML in a display name as data and returns it as JSON', async () => {
    const name = '  <img src=x onerror=alert(1)> & "quotes"  ';
    const res = await register({ email: email(), password: PASSWORD, displayName: name });
    expect(res.statusCode).toBe(201);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.json().user.displayName).toBe(name.trim());
    const [row] = await t.deps.database.db.select().from(users).where(eq(users.id, res.json().user.id));
    expect(row.displayName).toBe(name.trim());
  });

  it('uses the local part when the display name is blank', async () => {
    const res = await register({ email: 'blank-name@example.com', password: PASSWORD, displayName: '   ' });
    expect(res.json().user.displayName).toBe('blank-name');
  });

  it('accepts passwords of exactly 10 and 200 characters', async () => {
    expect((await register({ email: email(), password: 'x'.repeat(10) })).statusCode).toBe(201);
    expect((await register({ email: email(), password: 'y'.repeat(200) })).statusCode).toBe(201);
  });

  const ok = { email: 'ok@example.com', password: PASSWORD };
  it.each([
    ['missing email', { password: PASSWORD }, 'email'],
    ['bad email', { ...ok, email: 'not-an-email' }, 'email'],
    ['email without a domain', { ...ok, email: 'a@b' }, 'email'],
    ['email over 254 characters', { ...ok, email: `${'x'.repeat(250)}@example.com` }, 'email'],
    ['email as a number', { ...ok, email: 42 }, 'email'],
    ['missing password', { email: ok.email }, 'password'],
    ['password under 10 characters', { ...ok, password: 'short' }, 'password'],
    ['password over 200 characters', { ...ok, password: 'x'.repeat(201) }, 'password'],
    ['password as a number', { ...ok, password: 1234567890123 }, 'password'],
    ['displayName over 100 characters', { ...ok, displayName: 'x'.repeat(101) }, 'displayName'],
    ['displayName with a NUL', { ...ok, displayName: 'a\u0000b' }, 'displayName'],
    ['displayName as an array', { ...ok, displayName: ['x'] }, 'displayName'],
    ['inviteCode as a number', { ...ok, inviteCode: 7 }, 'inviteCode'],
    ['an unknown field', { ...ok, role: 'admin' }, 'role'],
    ['an array body', ['ok@example.com', PASSWORD], 'body'],
  ])('%s → 400 naming the field', async (_case, payload, field) => {
    expectBadRequest(await register(payload), field);
  });

  it('refuses malformed JSON and an absent body with 400', async () => {
    expectBadRequest(
      await t.app.inject({
        method: 'POST',
        url: '/api/auth/register',
        headers: { 'content-type': 'application/json' },
        payload: '{"email": "x@example.com", ',
      }),
      'body',
    );
    expectError(await t.app.inject({ method: 'POST', url: '/api/auth/register' }), 400, 'bad_request');
  });

  it('writes nothing when validation fails', async () => {
    const before = await t.deps.database.db.$count(users);
    await register({ email: 'nothing@example.com', password: 'short' });
    expect(await t.deps.database.db.$count(users)).toBe(before);
  });

  it('refuses an email already registered, whatever its case, with 409', async () => {
    const address = email();
    expect((await register({ email: address, password: PASSWORD })).statusCode).toBe(201);
    expectError(await register({ email: address.toUpperCase(), password: PASSWORD }), 409, 'conflict');
  });

  it('lets exactly one of two simultaneous registrations of one email through', async () => {
    const address = email();
    const answers = await Promise.all([
      register({ email: address, password: PASSWORD }),
      register({ email: address, password: 'another password' }),
      register({ email: address, password: 'yet another password' }),
    ]);
    expect(answers.map((r) => r.statusCode).sort()).toEqual([201, 409, 409]);
    expect(await t.deps.database.db.$count(users, eq(users.email, address))).toBe(1);
  });

  it('records the registration in the audit log without secrets', async () => {
    const res = await register({ email: email(), password: PASSWORD });
    const { user, token } = res.json();
    const rows = await t.deps.database.db.select().from(auditLog).where(eq(auditLog.targetId, user.id));
    expect(rows.map((r) => r.action)).toEqual(['user.register']);
    expect(rows[0]).toMatchObject({ actorUserId: user.id, targetType: 'user', ip: '127.0.0.1' });
    expect(JSON.stringify(rows)).not.toContain(PASSWORD);
    expect(JSON.stringify(rows)).not.toContain(token);
  });
});

describe('ADMIN_EMAIL', () => {
  it('is no way in: registering with the operator’s address gives a plain account', async () => {
    const reg = (address: string) =>
      withAdmin.app.inject({
        method: 'POST',
        url: '/api/auth/register',
        payload: { email: address, password: PASSWORD },
      });
    expect((await reg('first@example.com')).json().user.role).toBe('user');
    expect((await reg('OPS@example.com')).json().user.role).toBe('user');
  });
});
