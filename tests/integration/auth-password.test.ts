import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { hashToken } from '../../src/domain/accounts/tokens.js';
import { auditLog, sessions } from '../../src/infra/db/schema.js';
import { createTestApp } from '../helpers/app.js';
import { authHeaders, createUser, expectBadRequest, expectError, login } from '../helpers/security-suite.js';

const t = await createTestApp();
const NEW = 'a brand new password';

const change = (token: string, payload: unknown) =>
  t.app.inject({
    method: 'POST',
    url: '/api/auth/password',
    headers: authHeaders({ token }),
    payload: payload as object,
  });
const me = (token: string) => t.app.inject({ method: 'GET', url: '/api/auth/me', headers: authHeaders({ token }) });
const signIn = (email: string, password: string) =>
  t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });

describe('POST /api/auth/password', () => {
  it('changes the password and revokes every other session, not the current one', async () => {
    const u = await createUser(t);
    const others = [await login(t, u.email, u.password), await login(t, u.email, u.password)];
    for (const token of [u.token, ...others]) expect((await me(token)).statusCode).toBe(200); // all cached

    const res = await change(u.token, { currentPassword: u.password, newPassword: NEW });
    expect(res.statusCode, res.body).toBe(204);
    expect(res.body).toBe('');

    for (const token of others) expectError(await me(token), 401, 'unauthorized');
    expect((await me(u.token)).statusCode).toBe(200);
    expectError(await signIn(u.email, u.password), 401, 'unauthorized');
    expect((await signIn(u.email, NEW)).statusCode).toBe(200);

    const [row] = await t.deps.database.db.select().from(auditLog).where(eq(auditLog.action, 'user.password_change'));
    expect(row).toMatchObject({ actorUserId: u.id, details: { sessionsRevoked: 2 } });
    expect(JSON.stringify(row)).not.toContain(NEW);
  });

  it('answers 400 naming currentPassword when it is wrong, and changes nothing', async () => {
    const u = await createUser(t);
    const other = await login(t, u.email, u.password);
    expectBadRequest(
      await change(u.token, { currentPassword: 'not my password', newPassword: NEW }),
      'currentPassword',
    );
    expect((await me(other)).statusCode).toBe(200);
    expect((await signIn(u.email, u.password)).statusCode).toBe(200);
  });

  it('spends the account’s sign-in budget on wrong current passwords', async () => {
    const u = await createUser(t);
    for (let i = 0; i < 10; i++) await change(u.token, { currentPassword: `guess number ${i}`, newPassword: NEW });
    const res = await change(u.token, { currentPassword: u.password, newPassword: NEW });
    expectError(res, 429, 'rate_limited');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    const [session] = await t.deps.database.db
      .select()
      .from(sessions)
      .where(eq(sessions.tokenHash, hashToken(u.token)));
    expect(session.revokedAt).toBeNull();
  });

  const ok = { currentPassword: 'whatever', newPassword: NEW };
  it.each([
    ['missing currentPassword', { newPassword: NEW }, 'currentPassword'],
    ['empty currentPassword', { ...ok, currentPassword: '' }, 'currentPassword'],
    ['currentPassword as a number', { ...ok, currentPassword: 5 }, 'currentPassword'],
    ['newPassword under 10 characters', { ...ok, newPassword: 'short' }, 'newPassword'],
    ['newPassword over 200 characters', { ...ok, newPassword: 'x'.repeat(201) }, 'newPassword'],
    ['missing newPassword', { currentPassword: 'whatever' }, 'newPassword'],
    ['an unknown field', { ...ok, confirm: NEW }, 'confirm'],
  ])('%s → 400 naming the field', async (_case, payload, field) => {
    const u = await createUser(t);
    expectBadRequest(await change(u.token, payload), field);
  });
});
