import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditLog, ssoIdentities, users } from '../../src/infra/db/schema.js';
import { createUser } from '../helpers/security-suite.js';
import { callback, cookieOf, createSsoApp, ssoSignIn, startSso } from '../helpers/sso.js';

/*
 * What the portal refuses of an OpenID Provider's answer (docs/decisions/028): a state that is not the flow's, a
 * forged or replayed callback, an ID token for another audience, an expired one, a wrong nonce — each ends at
 * /login?sso_error=… with no session. And the rules around it: allowed domains, the registration policy, the admin
 * mapping that never removes the last admin, "SSO only".
 */
const { t, provider } = await createSsoApp({
  OIDC_ALLOWED_DOMAINS: 'corp.example, @partner.example',
  OIDC_ADMIN_CLAIM: 'groups',
  OIDC_ADMIN_VALUES: 'portal-admins',
});
const db = t.deps.database.db;
let n = 0;
const person = (claims: { email?: string; groups?: string[] } = {}) => {
  const sub = `p-${++n}-${Date.now()}`;
  provider.account(sub, { email: `${sub}@corp.example`, email_verified: true, ...claims });
  return sub;
};
const refused = (res: Awaited<ReturnType<typeof callback>>, reason: string) => {
  expect(res.statusCode, res.body).toBe(302);
  expect(res.headers.location).toBe(`/login?sso_error=${reason}`);
  expect(cookieOf(res, 'kp_session')).toBeUndefined();
};

describe('OIDC callback checks', () => {
  it('refuses a callback whose state is not the flow’s (a forged or crossed redirect)', async () => {
    const start = await startSso(t);
    const redirect = await provider.signIn(start.authorizationUrl.href, person());
    redirect.searchParams.set('state', 'forged-state-value-forged-state-value');
    refused(await callback(t, redirect, start.cookie), 'rejected');
  });

  it('refuses a callback without the flow’s cookie (started in another browser: login CSRF)', async () => {
    const start = await startSso(t);
    const redirect = await provider.signIn(start.authorizationUrl.href, person());
    refused(await callback(t, redirect, ''), 'state');
    const other = await startSso(t);
    refused(await callback(t, redirect, other.cookie), 'rejected');
  });

  it('refuses a replayed callback, and a replayed code in a new flow', async () => {
    const sub = person();
    const start = await startSso(t);
    const redirect = await provider.signIn(start.authorizationUrl.href, sub);
    const first = await callback(t, redirect, start.cookie);
    expect(cookieOf(first, 'kp_session')).toBeDefined();
    refused(await callback(t, redirect, start.cookie), 'state');
    // The same code with a fresh flow: the provider refuses a used code (and the PKCE verifier differs).
    const again = await startSso(t);
    const replay = new URL(redirect);
    replay.searchParams.set('state', again.authorizationUrl.searchParams.get('state')!);
    refused(await callback(t, replay, again.cookie), 'rejected');
  });

  it.each([
    ['an ID token for another audience', (c: Record<string, unknown>) => ({ ...c, aud: 'another-client' })],
    [
      'an expired ID token',
      (c: Record<string, unknown>) => ({ ...c, iat: (c.iat as number) - 7200, exp: (c.iat as number) - 3600 }),
    ],
    ['a wrong nonce', (c: Record<string, unknown>) => ({ ...c, nonce: 'not-the-nonce' })],
    ['another issuer', (c: Record<string, unknown>) => ({ ...c, iss: 'https://evil.example' })],
  ])('refuses %s', async (_what, change) => {
    const sub = person();
    provider.tamper(change);
    try {
      const { res } = await ssoSignIn(t, provider, sub);
      refused(res, 'rejected');
    } finally {
      provider.tamper(undefined);
    }
    expect(await db.select().from(ssoIdentities).where(eq(ssoIdentities.subject, sub))).toHaveLength(0);
  });

  it('accepts the same sign-in untampered (the checks above can pass)', async () => {
    provider.tamper((c) => c);
    try {
      const { res } = await ssoSignIn(t, provider, person());
      expect(cookieOf(res, 'kp_session')).toBeDefined();
    } finally {
      provider.tamper(undefined);
    }
  });

  it('never redirects to another origin after signing in', async () => {
    const { res } = await ssoSignIn(t, provider, person(), '//evil.example/x');
    expect(res.headers.location).toBe('/');
  });
});

describe('OIDC sign-up rules', () => {
  it('refuses an address outside the allowed domains (and accepts the listed ones)', async () => {
    refused((await ssoSignIn(t, provider, person({ email: 'x@elsewhere.example' }))).res, 'domain');
    const ok = await ssoSignIn(t, provider, person({ email: `y${n}@partner.example` }));
    expect(cookieOf(ok.res, 'kp_session')).toBeDefined();
  });

  it('maps the admin group to the admin role at each sign-in, and takes it away again', async () => {
    await createUser(t, { role: 'admin' }); // another admin, so the mapped one is not the last
    const sub = person({ groups: ['staff', 'portal-admins'] });
    const first = await ssoSignIn(t, provider, sub);
    const me = () => t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: `kp_session=${token}` } });
    let token = cookieOf(first.res, 'kp_session');
    expect((await me()).json().user.role).toBe('admin');
    provider.account(sub, { email: `${sub}@corp.example`, email_verified: true, groups: ['staff'] });
    token = cookieOf((await ssoSignIn(t, provider, sub)).res, 'kp_session');
    expect((await me()).json().user.role).toBe('user');
    const actions = await db
      .select({ a: auditLog.action, d: auditLog.details })
      .from(auditLog)
      .where(eq(auditLog.action, 'sso.role'));
    expect(actions.map((r) => r.d)).toEqual(expect.arrayContaining([{ role: 'admin' }, { role: 'user' }]));
  });
});

// Its own portal (and database): "last admin" needs a database with exactly one.
const other = await createSsoApp({
  REGISTRATION: 'invite',
  OIDC_ADMIN_CLAIM: 'groups',
  OIDC_ADMIN_VALUES: 'portal-admins',
  SSO_ONLY: 'true',
  // The way in while the provider is down: this account alone keeps its password sign-in.
  ADMIN_EMAIL: 'root@corp.example',
});
const odb = other.t.deps.database.db;

describe('OIDC with the last admin, invite-only registration and SSO only', () => {
  it('keeps the last active admin an admin when the provider drops the group (and audits it)', async () => {
    const admin = await createUser(other.t, { role: 'admin', email: 'root@corp.example' });
    other.provider.account('boss', { email: admin.email, email_verified: true, groups: [] });
    const pending = await ssoSignIn(other.t, other.provider, 'boss');
    // Linking proves the local password first.
    const cookie = `kp_sso=${cookieOf(pending.res, 'kp_sso')}`;
    const done = await other.t.app.inject({
      method: 'POST',
      url: '/api/auth/oidc/complete',
      headers: { cookie },
      payload: { password: admin.password },
    });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json().user.role).toBe('admin');
    const [row] = await odb.select({ role: users.role }).from(users).where(eq(users.id, admin.id));
    expect(row.role).toBe('admin');
    const kept = await odb.select().from(auditLog).where(eq(auditLog.action, 'sso.role_kept'));
    expect(kept).toHaveLength(1);
  });

  it('asks a new identity for an invite code under invite-only registration', async () => {
    other.provider.account('newbie', { email: 'newbie@corp.example', email_verified: true });
    const { res } = await ssoSignIn(other.t, other.provider, 'newbie');
    expect(res.headers.location).toBe('/sso?next=%2F');
    const cookie = `kp_sso=${cookieOf(res, 'kp_sso')}`;
    const view = await other.t.app.inject({ method: 'GET', url: '/api/auth/oidc/pending', headers: { cookie } });
    expect(view.json()).toEqual({ kind: 'signup', email: 'newbie@corp.example' });
    const bad = await other.t.app.inject({
      method: 'POST',
      url: '/api/auth/oidc/complete',
      headers: { cookie },
      payload: { inviteCode: 'nope' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].path).toBe('inviteCode');
    expect(await odb.select().from(users).where(eq(users.email, 'newbie@corp.example'))).toHaveLength(0);
  });

  it('SSO only: password sign-in and registration are refused, the meta says so', async () => {
    const u = await createUser(other.t).catch((e: Error) => e);
    expect(u).toBeInstanceOf(Error); // createUser signs in with the password: refused
    const reg = await other.t.app.inject({
      method: 'POST',
      url: '/api/auth/register',
      payload: { email: 'pw@corp.example', password: 'long enough password', inviteCode: 'x' },
    });
    expect(reg.statusCode).toBe(403);
    const meta = await other.t.app.inject({ method: 'GET', url: '/api/meta' });
    expect(meta.json().sso).toEqual({ name: 'Test IdP', only: true });
  });
});
