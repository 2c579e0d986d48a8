import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { users } from '../../src/infra/db/schema.js';
import { createTestApp } from '../helpers/app.js';
import { authHeaders, cookieHeaders, createUser, expectError, unknownToken } from '../helpers/security-suite.js';

/*
 * Issue 15, point 1: the web app's first question, "who is signed in?", answers signed-out as a 200 with
 * `user: null`, so a signed-out load shows no 401 in the browser's console (docs/decisions/034). /api/auth/me
 * keeps its 401 for scripts.
 */
const t = await createTestApp();
const session = (headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'GET', url: '/api/auth/session', headers });

describe('GET /api/auth/session', () => {
  it('answers the caller by cookie or bearer token, like /api/auth/me', async () => {
    const u = await createUser(t, { displayName: 'Sam' });
    const me = (await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: authHeaders(u) })).json();
    const byCookie = await session(cookieHeaders(u));
    expect(byCookie.statusCode).toBe(200);
    expect(byCookie.json()).toEqual(me);
    expect(byCookie.json().user.displayName).toBe('Sam');
    expect((await session(authHeaders(u))).json()).toEqual(me);
    expect(byCookie.headers['cache-control']).toBe('no-store');
  });

  it('answers 200 with user null without a session, with an unknown one, and for a disabled user', async () => {
    for (const headers of [{}, authHeaders({ token: unknownToken() }), cookieHeaders({ token: 'garbage' })]) {
      const res = await session(headers);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({ user: null });
    }
    const u = await createUser(t);
    await t.deps.database.db.update(users).set({ status: 'disabled' }).where(eq(users.id, u.id));
    await t.app.services.accounts.forgetUserSessions(u.id);
    expect((await session(authHeaders(u))).json()).toEqual({ user: null });
    expectError(
      await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: authHeaders(u) }),
      401,
      'unauthorized',
    );
  });

  it('loads a session once and then answers from the auth cache', async () => {
    const u = await createUser(t);
    const auth = () => t.deps.cache.counters().auth;
    const before = auth();
    for (let i = 0; i < 4; i++) expect((await session(authHeaders(u))).json().user.id).toBe(u.id);
    expect(auth().misses - before.misses).toBe(1);
    expect(auth().hits - before.hits).toBe(3);
  });

  it('still refuses two session cookies (one may be planted by a sibling subdomain)', async () => {
    const a = await createUser(t);
    const b = await createUser(t);
    expectError(await session({ cookie: `kp_session=${a.token}; kp_session=${b.token}` }), 401, 'unauthorized');
  });
});
