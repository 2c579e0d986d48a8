import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { hashToken } from '../../src/domain/accounts/tokens.js';
import { auditLog, sessions, ssoIdentities, users } from '../../src/infra/db/schema.js';
import { createUser, TEST_PASSWORD } from '../helpers/security-suite.js';
import { cookieOf, createSsoApp, PORTAL, ssoSignIn } from '../helpers/sso.js';

/*
 * Single sign-on against a real OpenID Provider in this process (oidc-provider): the authorization-code flow with
 * PKCE, state and nonce, through the portal's real HTTP stack (docs/decisions/028).
 */
const { t, provider } = await createSsoApp();
const db = t.deps.database.db;
let n = 0;
const identity = (claims: { email?: string; email_verified?: boolean; groups?: string[]; name?: string } = {}) => {
  const sub = `sub-${++n}-${Date.now()}`;
  provider.account(sub, { email: `${sub}@corp.example`, email_verified: true, name: `Person ${n}`, ...claims });
  return sub;
};

describe('OIDC sign-in', () => {
  it('starts with PKCE (S256), a state and a nonce, and keeps them server-side behind a cookie', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/auth/oidc/start?next=/keys' });
    expect(res.statusCode).toBe(302);
    const url = new URL(res.headers.location as string);
    expect(url.origin).toBe(provider.issuer);
    expect(url.searchParams.get('client_id')).toBe(provider.clientId);
    expect(url.searchParams.get('redirect_uri')).toBe(`${PORTAL}/api/auth/oidc/callback`);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('state')).toMatch(/^[\w-]{20,}$/);
    expect(url.searchParams.get('nonce')).toMatch(/^[\w-]{20,}$/);
    const cookie = res.cookies.find((c) => c.name === 'kp_sso');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    // The handle is not the state: knowing the URL does not give the cookie.
    expect(cookie?.value).not.toBe(url.searchParams.get('state'));
  });

  it('signs up a new verified identity (open registration), then signs it in again by its subject', async () => {
    const sub = identity({ name: 'Ada Lovelace' });
    const { res } = await ssoSignIn(t, provider, sub, '/keys');
    expect(res.statusCode, res.body).toBe(302);
    expect(res.headers.location).toBe('/keys');
    const token = cookieOf(res, 'kp_session');
    expect(token).toBeDefined();
    const me = await t.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(me.json()).toMatchObject({
      user: { email: `${sub}@corp.example`, displayName: 'Ada Lovelace' },
      method: 'sso',
    });
    const [link] = await db.select().from(ssoIdentities).where(eq(ssoIdentities.subject, sub));
    expect(link).toMatchObject({ issuer: provider.issuer, email: `${sub}@corp.example` });
    // The account has no password: a password sign-in answers like an unknown address.
    const pw = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: `${sub}@corp.example`, password: '!sso' },
    });
    expect(pw.statusCode).toBe(401);

    const again = await ssoSignIn(t, provider, sub);
    expect(again.res.headers.location).toBe('/');
    const rows = await db
      .select()
      .from(users)
      .where(eq(users.email, `${sub}@corp.example`));
    expect(rows).toHaveLength(1);
    const [session] = await db
      .select({ method: sessions.authMethod })
      .from(sessions)
      .where(eq(sessions.tokenHash, hashToken(cookieOf(again.res, 'kp_session')!)));
    expect(session.method).toBe('sso');
  });

  it('refuses an unverified address, and never links it to the local account of that address', async () => {
    const local = await createUser(t);
    const sub = identity({ email: local.email, email_verified: false });
    const { res } = await ssoSignIn(t, provider, sub);
    expect(res.headers.location).toBe('/login?sso_error=unverified');
    expect(cookieOf(res, 'kp_session')).toBeUndefined();
    expect(await db.select().from(ssoIdentities).where(eq(ssoIdentities.subject, sub))).toHaveLength(0);
  });

  it('links a verified address to the existing local account only after its password is proven', async () => {
    const local = await createUser(t);
    const sub = identity({ email: local.email });
    const { res } = await ssoSignIn(t, provider, sub);
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/sso?next=%2F');
    expect(cookieOf(res, 'kp_session')).toBeUndefined();
    const pending = `kp_sso=${cookieOf(res, 'kp_sso')}`;
    const view = await t.app.inject({ method: 'GET', url: '/api/auth/oidc/pending', headers: { cookie: pending } });
    expect(view.json()).toEqual({ kind: 'link', email: local.email });

    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/auth/oidc/complete',
      headers: { cookie: pending },
      payload: { password: 'not the password' },
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.details[0].path).toBe('password');
    expect(await db.select().from(ssoIdentities).where(eq(ssoIdentities.subject, sub))).toHaveLength(0);

    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/auth/oidc/complete',
      headers: { cookie: pending },
      payload: { password: TEST_PASSWORD },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ next: '/', user: { id: local.id } });
    expect(cookieOf(ok, 'kp_session')).toBeDefined();
    const [link] = await db.select().from(ssoIdentities).where(eq(ssoIdentities.subject, sub));
    expect(link.userId).toBe(local.id);
    const audit = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'sso.link'), eq(auditLog.actorUserId, local.id)));
    expect(audit).toHaveLength(1);
    // The pending step is used up.
    const replay = await t.app.inject({
      method: 'POST',
      url: '/api/auth/oidc/complete',
      headers: { cookie: pending },
      payload: { password: TEST_PASSWORD },
    });
    expect(replay.statusCode).toBe(401);
    // From now on the provider alone signs this account in.
    const next = await ssoSignIn(t, provider, sub);
    expect(next.res.headers.location).toBe('/');
    expect(cookieOf(next.res, 'kp_session')).toBeDefined();
  });

  it('answers the redirect with an error and no session when the provider refuses', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/auth/oidc/callback?error=access_denied&state=x',
      headers: { cookie: 'kp_sso=x' },
    });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/login?sso_error=denied');
    expect(cookieOf(res, 'kp_session')).toBeUndefined();
  });
});
