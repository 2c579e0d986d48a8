import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { hashToken } from '../../src/domain/accounts/tokens.js';
import { auditLog, recoveryCodes, sessions, totpFactors } from '../../src/infra/db/schema.js';
import { createTestApp } from '../helpers/app.js';
import { enrolTotp, totp } from '../helpers/mfa.js';
import { authHeaders, createUser, expectBadRequest, expectError, type TestUser } from '../helpers/security-suite.js';

/*
 * Two-factor authentication with real TOTP codes computed from the secret (docs/decisions/027). The portal's clock
 * is the test's, so every code belongs to a known 30-second step.
 */
let now = Date.parse('2026-11-20T10:00:10Z');
const t = await createTestApp({ clock: () => new Date(now) });
const db = t.deps.database.db;
const at = (secondsFromNow: number) => new Date(now + secondsFromNow * 1000);

const login = (u: TestUser, cookie?: string) =>
  t.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { email: u.email, password: u.password },
    headers: cookie ? { cookie } : {},
  });
const verify = (payload: Record<string, unknown>, cookie?: string) =>
  t.app.inject({ method: 'POST', url: '/api/auth/mfa/verify', payload, headers: cookie ? { cookie } : {} });
const methodOf = async (token: string) =>
  (
    await db
      .select({ m: sessions.authMethod })
      .from(sessions)
      .where(eq(sessions.tokenHash, hashToken(token)))
  )[0]?.m;

describe('TOTP enrolment', () => {
  it('gives a secret, an otpauth URI and a QR code; the first code turns it on and answers ten recovery codes', async () => {
    const u = await createUser(t);
    const setup = await t.app.inject({ method: 'POST', url: '/api/auth/mfa/totp/setup', headers: authHeaders(u) });
    expect(setup.statusCode).toBe(200);
    const { secret, uri, qrSvg } = setup.json();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(uri).toMatch(new RegExp(`^otpauth://totp/.*secret=${secret}`));
    expect(uri).toContain(encodeURIComponent(u.email).replace('%40', '%40'));
    expect(qrSvg).toMatch(/^<svg[\s\S]*<\/svg>$/);
    // Not on until confirmed: signing in still needs the password only.
    expect((await login(u)).statusCode).toBe(200);

    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/auth/mfa/totp/confirm',
      headers: authHeaders(u),
      payload: { code: await totp(secret, at(-120)) },
    });
    expectBadRequest(wrong, 'code');
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/auth/mfa/totp/confirm',
      headers: authHeaders(u),
      payload: { code: await totp(secret, at(0)) },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    const codes = ok.json().recoveryCodes as string[];
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const c of codes) expect(c).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/);
    // Stored hashed only.
    const stored = await db.select().from(recoveryCodes).where(eq(recoveryCodes.userId, u.id));
    expect(stored).toHaveLength(10);
    expect(stored.map((r) => r.codeHash)).not.toContain(codes[0]);
    const status = await t.app.inject({ method: 'GET', url: '/api/auth/mfa', headers: authHeaders(u) });
    expect(status.json()).toMatchObject({ totp: true, recoveryCodesLeft: 10, required: false });
    const audit = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'mfa.enrol'), eq(auditLog.actorUserId, u.id)));
    expect(audit).toHaveLength(1);
    // A second set-up is refused while it is on.
    const again = await t.app.inject({ method: 'POST', url: '/api/auth/mfa/totp/setup', headers: authHeaders(u) });
    expectError(again, 409, 'conflict');
  });
});

describe('signing in with a second factor', () => {
  it('answers 202 with a challenge (no session); the challenge and a current code sign in', async () => {
    const u = await createUser(t);
    const { secret } = await enrolTotp(t, u, () => new Date(now));
    now += 30_000;
    const first = await login(u);
    expect(first.statusCode).toBe(202);
    expect(first.cookies.find((c) => c.name === 'kp_session')).toBeUndefined();
    const { challenge } = first.json().mfa;
    const res = await verify({ challenge, code: await totp(secret, at(0)) });
    expect(res.statusCode, res.body).toBe(200);
    const token = res.json().token;
    expect(res.cookies.find((c) => c.name === 'kp_session')?.value).toBe(token);
    expect(await methodOf(token)).toBe('password+totp');
    // The challenge is used up.
    now += 30_000;
    expectError(await verify({ challenge, code: await totp(secret, at(0)) }), 401, 'unauthorized');
  });

  it('accepts a code one step off (clock drift), refuses two steps off and a replayed code', async () => {
    const u = await createUser(t);
    const { secret } = await enrolTotp(t, u, () => new Date(now));
    now += 90_000;
    const c1 = (await login(u)).json().mfa.challenge;
    expectBadRequest(await verify({ challenge: c1, code: await totp(secret, at(-60)) }), 'code');
    expectBadRequest(await verify({ challenge: c1, code: await totp(secret, at(+60)) }), 'code');
    const drifted = await totp(secret, at(-30));
    expect((await verify({ challenge: c1, code: drifted })).statusCode).toBe(200);
    // The same code again (a replay), in a new sign-in: refused, on the step it belongs to or before.
    const c2 = (await login(u)).json().mfa.challenge;
    expectBadRequest(await verify({ challenge: c2, code: drifted }), 'code');
    // The current step is later than the used one: accepted.
    expect((await verify({ challenge: c2, code: await totp(secret, at(0)) })).statusCode).toBe(200);
  });

  it('signs in with a recovery code once; the code is used up and the use audited', async () => {
    const u = await createUser(t);
    const { recoveryCodes: codes } = await enrolTotp(t, u, () => new Date(now));
    const c1 = (await login(u)).json().mfa.challenge;
    const res = await verify({ challenge: c1, recoveryCode: codes[3].toUpperCase() });
    expect(res.statusCode, res.body).toBe(200);
    expect(await methodOf(res.json().token)).toBe('password+recovery');
    const c2 = (await login(u)).json().mfa.challenge;
    expectBadRequest(await verify({ challenge: c2, recoveryCode: codes[3] }), 'recoveryCode');
    const status = await t.app.inject({ method: 'GET', url: '/api/auth/mfa', headers: authHeaders(u) });
    expect(status.json().recoveryCodesLeft).toBe(9);
    const used = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'mfa.recovery_code_used'), eq(auditLog.actorUserId, u.id)));
    expect(used).toHaveLength(1);
  });

  it('ends a challenge after five wrong codes', async () => {
    const u = await createUser(t);
    const { secret } = await enrolTotp(t, u, () => new Date(now));
    now += 30_000;
    const { challenge } = (await login(u)).json().mfa;
    for (let i = 0; i < 5; i++) expectBadRequest(await verify({ challenge, code: '000000' }), 'code');
    expectError(await verify({ challenge, code: await totp(secret, at(0)) }), 401, 'unauthorized');
  });

  it('remembers a browser when asked: its next sign-in skips the code, another browser does not', async () => {
    const u = await createUser(t);
    const { secret } = await enrolTotp(t, u, () => new Date(now));
    now += 30_000;
    const { challenge } = (await login(u)).json().mfa;
    const res = await verify({ challenge, code: await totp(secret, at(0)), remember: true });
    const trusted = res.cookies.find((c) => c.name === 'kp_mfa');
    expect(trusted).toMatchObject({ httpOnly: true, sameSite: 'Lax', maxAge: 30 * 86_400 });
    const known = await login(u, `kp_mfa=${trusted?.value}`);
    expect(known.statusCode).toBe(200);
    expect(await methodOf(known.json().token)).toBe('password+device');
    expect((await login(u)).statusCode).toBe(202);
    // Another account cannot use this browser's cookie.
    const v = await createUser(t);
    await enrolTotp(t, v, () => new Date(now));
    expect((await login(v, `kp_mfa=${trusted?.value}`)).statusCode).toBe(202);
    // Forgetting the browsers ends it.
    await t.app.inject({
      method: 'DELETE',
      url: '/api/auth/mfa/devices',
      headers: { authorization: `Bearer ${known.json().token}` },
    });
    expect((await login(u, `kp_mfa=${trusted?.value}`)).statusCode).toBe(202);
  });
});

describe('turning it off', () => {
  it('needs a current code; then sign-in is the password alone again (audited)', async () => {
    const u = await createUser(t);
    const { secret } = await enrolTotp(t, u, () => new Date(now));
    const off = (payload: object) =>
      t.app.inject({ method: 'POST', url: '/api/auth/mfa/totp/disable', headers: authHeaders(u), payload });
    expectBadRequest(await off({ code: '123456' }), 'code');
    expectBadRequest(await off({}), 'code');
    now += 30_000;
    expect((await off({ code: await totp(secret, at(0)) })).statusCode).toBe(204);
    expect(await db.select().from(totpFactors).where(eq(totpFactors.userId, u.id))).toHaveLength(0);
    expect((await login(u)).statusCode).toBe(200);
    const audit = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'mfa.disable'), eq(auditLog.actorUserId, u.id)));
    expect(audit).toHaveLength(1);
  });
});
