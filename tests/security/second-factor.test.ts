import { describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.js';
import { enrolTotp, totp } from '../helpers/mfa.js';
import { createUser, expectBadRequest, expectError, type TestUser, unknownToken } from '../helpers/security-suite.js';

/*
 * The public second step of a sign-in (POST /api/auth/mfa/verify, docs/decisions/027): only with a live challenge
 * from a right password, from this site, a bounded number of guesses per challenge and per user, codes used once.
 */
let now = Date.parse('2026-11-20T10:00:10Z');
const t = await createTestApp({ clock: () => new Date(now) });
const challengeOf = async (u: TestUser) =>
  (
    await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: u.email, password: u.password } })
  ).json().mfa.challenge as string;
const verify = (payload: object, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url: '/api/auth/mfa/verify', payload, headers });

describe('POST /api/auth/mfa/verify', () => {
  it('refuses a request from another site (it sets the session cookie)', async () => {
    const u = await createUser(t);
    const { secret } = await enrolTotp(t, u, () => new Date(now));
    now += 30_000;
    const res = await verify(
      { challenge: await challengeOf(u), code: await totp(secret, new Date(now)) },
      { origin: 'https://evil.example' },
    );
    expectError(res, 403, 'forbidden');
  });

  it('names the field of a malformed challenge or code, and refuses an unknown challenge', async () => {
    expectBadRequest(await verify({ challenge: 'short', code: '123456' }), 'challenge');
    expectBadRequest(await verify({ challenge: unknownToken(), code: '12345' }), 'code');
    expectBadRequest(await verify({ challenge: unknownToken() }), 'code');
    expectError(await verify({ challenge: unknownToken(), code: '123456' }), 401, 'unauthorized');
  });

  it('does not take another account’s recovery code', async () => {
    const a = await createUser(t);
    const b = await createUser(t);
    await enrolTotp(t, a, () => new Date(now));
    const { recoveryCodes } = await enrolTotp(t, b, () => new Date(now));
    expectBadRequest(await verify({ challenge: await challengeOf(a), recoveryCode: recoveryCodes[0] }), 'recoveryCode');
  });

  it('limits wrong codes per user across challenges (429), whatever the password allows', async () => {
    const u = await createUser(t);
    const { secret } = await enrolTotp(t, u, () => new Date(now));
    let answer = 0;
    for (let i = 0; i < 12 && answer !== 429; i++) {
      answer = (await verify({ challenge: await challengeOf(u), code: '000000' })).statusCode;
    }
    expect(answer).toBe(429);
    now += 30_000;
    const res = await verify({ challenge: await challengeOf(u), code: await totp(secret, new Date(now)) });
    expectError(res, 429, 'rate_limited');
  });
});
