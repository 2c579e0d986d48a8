import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditLog } from '../../src/infra/db/schema.js';
import { createTestApp } from '../helpers/app.js';
import { enrolTotp, totp } from '../helpers/mfa.js';
import { authHeaders, createUser, expectError, type TestUser } from '../helpers/security-suite.js';

/*
 * Admins require a second factor of admins or of everyone (docs/decisions/027): enforced at sign-in and for
 * sessions and tokens that exist already — until the user enrols, only enrolment, /me, sessions and sign-out answer.
 */
let now = Date.parse('2026-11-20T10:00:10Z');
const t = await createTestApp({ clock: () => new Date(now) });
const db = t.deps.database.db;
const setPolicy = (admin: TestUser, mfaRequired: string) =>
  t.app.inject({
    method: 'PATCH',
    url: '/api/admin/settings/mfa',
    headers: authHeaders(admin),
    payload: { mfaRequired },
  });
const get = (u: { token: string }, url: string) => t.app.inject({ method: 'GET', url, headers: authHeaders(u) });

describe('2FA required by the admins', () => {
  it('for admins: an admin’s existing session may only enrol until it has; users are not affected', async () => {
    const boss = await createUser(t, { role: 'admin' });
    const other = await createUser(t, { role: 'admin' });
    const user = await createUser(t);
    const changed = await setPolicy(boss, 'admins');
    expect(changed.statusCode, changed.body).toBe(200);
    expect((await get(boss, '/api/admin/settings/mfa')).statusCode).toBe(403);

    expectError(await get(other, '/api/keys'), 403, 'mfa_required');
    expectError(await get(other, '/api/admin/users'), 403, 'mfa_required');
    expect((await get(other, '/api/auth/me')).json().mfa).toEqual({ enrolled: false, required: true });
    expect((await get(other, '/api/auth/sessions')).statusCode).toBe(200);
    expect((await get(user, '/api/keys')).statusCode).toBe(200);

    await enrolTotp(t, other, () => new Date(now));
    // The same session, without signing in again: enrolled now.
    expect((await get(other, '/api/keys')).statusCode).toBe(200);
    expect((await get(other, '/api/admin/settings/mfa')).json()).toEqual({ mfaRequired: 'admins' });
    // Turning it off is refused while it is required.
    now += 30_000;
    const { secret } = await enrolTotp(t, boss, () => new Date(now));
    now += 30_000;
    const off = await t.app.inject({
      method: 'POST',
      url: '/api/auth/mfa/totp/disable',
      headers: authHeaders(boss),
      payload: { code: await totp(secret, new Date(now)) },
    });
    expectError(off, 403, 'forbidden');
    const audit = await db.select().from(auditLog).where(eq(auditLog.action, 'settings.mfa_policy'));
    expect(audit.map((a) => a.details)).toContainEqual({ required: 'admins' });
  });

  it('for everyone: a user’s session and personal access token wait for enrolment; a new sign-in too', async () => {
    const admin = await createUser(t, { role: 'admin' });
    await enrolTotp(t, admin, () => new Date(now));
    const user = await createUser(t);
    const tokenRes = await t.app.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: authHeaders(user),
      payload: { name: 'bar', scopes: ['read'] },
    });
    const token = tokenRes.json().token as string;
    expect((await setPolicy(admin, 'everyone')).statusCode).toBe(200);
    expectError(await get(user, '/api/keys'), 403, 'mfa_required');
    expectError(await get({ token }, '/api/me/summary'), 403, 'mfa_required');
    // Signing in again does not get round it.
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: user.email, password: user.password },
    });
    expectError(await get({ token: login.json().token }, '/api/keys'), 403, 'mfa_required');
    now += 30_000;
    await enrolTotp(t, user, () => new Date(now));
    expect((await get(user, '/api/keys')).statusCode).toBe(200);
    expect((await get({ token }, '/api/me/summary')).statusCode).toBe(200);
    expect((await setPolicy(admin, 'off')).statusCode).toBe(200);
  });

  it('refuses a policy it does not know, naming the field', async () => {
    const admin = await createUser(t, { role: 'admin' });
    const res = await setPolicy(admin, 'sometimes');
    expectError(res, 400, 'bad_request');
    expect(res.json().error.details[0].path).toBe('mfaRequired');
  });
});
