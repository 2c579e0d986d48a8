import { eq } from 'drizzle-orm';
import { describe, expect, it, vi } from 'vitest';
import { hashToken, newSessionToken } from '../../src/domain/accounts/tokens.js';
import { sessions, users } from '../../src/infra/db/schema.js';
import { createTestApp } from '../helpers/app.js';
import {
  authHeaders,
  cookieHeaders,
  createUser,
  expectError,
  type TestUser,
  unknownToken,
} from '../helpers/security-suite.js';

// A clock the tests move: session expiry and the last_seen_at throttle follow it.
let offsetMs = 0;
const t = await createTestApp({ clock: () => new Date(Date.now() + offsetMs) });

const me = (user: { token: string }) =>
  t.app.inject({ method: 'GET', url: '/api/auth/me', headers: authHeaders(user) });
const sessionRow = async (token: string) =>
  (
    await t.deps.database.db
      .select()
      .from(sessions)
      .where(eq(sessions.tokenHash, hashToken(token)))
  )[0];

describe('GET /api/auth/me', () => {
  it('answers the caller, by bearer token and by cookie', async () => {
    const u = await createUser(t, { displayName: 'Mo' });
    const expected = { id: u.id, email: u.email, displayName: 'Mo', role: 'user', createdAt: expect.any(String) };
    // How the session signed in and where it stands with the second factor (docs/decisions/027).
    const answer = { user: expected, method: 'password', mfa: { enrolled: false, required: false } };
    expect((await me(u)).json()).toEqual(answer);
    const byCookie = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: cookieHeaders(u) });
    expect(byCookie.json()).toEqual(answer);
  });

  it('loads a session once, then serves it from the auth cache; unknown tokens are cached too', async () => {
    const u = await createUser(t);
    const auth = () => t.deps.cache.counters().auth;
    const before = auth();
    for (let i = 0; i < 5; i++) expect((await me(u)).statusCode).toBe(200);
    expect(auth().misses - before.misses).toBe(1);
    expect(auth().hits - before.hits).toBe(4);

    const ghost = { token: unknownToken() };
    const mid = auth();
    for (let i = 0; i < 3; i++) expectError(await me(ghost), 401, 'unauthorized');
    expect(auth().misses - mid.misses).toBe(1);
    // A token of the wrong shape never reaches the cache or the database.
    await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { authorization: 'Bearer x' } });
    expect(auth().misses + auth().hits).toBe(mid.misses + mid.hits + 3);
  });

  it('refuses a disabled user’s session', async () => {
    const u = await createUser(t);
    await t.deps.database.db.update(users).set({ status: 'disabled' }).where(eq(users.id, u.id));
    expectError(await me({ token: await freshSessionOf(u) }), 401, 'unauthorized');
  });

  it('refuses a disabled user’s cached sessions once forgetUserSessions ran (what an admin change calls)', async () => {
    const u = await createUser(t);
    expect((await me(u)).statusCode).toBe(200); // now cached
    await t.deps.database.db.update(users).set({ status: 'disabled' }).where(eq(users.id, u.id));
    await t.app.services.accounts.forgetUserSessions(u.id);
    expectError(await me(u), 401, 'unauthorized');
  });

  it('refuses an expired session, even one the cache still holds', async () => {
    const u = await createUser(t);
    expect((await me(u)).statusCode).toBe(200); // now cached
    const ttlMs = t.config.sessionTtlHours * 3_600_000;
    offsetMs += ttlMs + 1000;
    try {
      expectError(await me(u), 401, 'unauthorized');
    } finally {
      offsetMs -= ttlMs + 1000;
    }
  });

  it('records last_seen_at off the request path, at most once a minute', async () => {
    const u = await createUser(t);
    const created = (await sessionRow(u.token)).lastSeenAt.getTime();
    offsetMs += 2 * 60_000;
    await me(u);
    await vi.waitFor(async () => expect((await sessionRow(u.token)).lastSeenAt.getTime()).toBeGreaterThan(created));
    const seen = (await sessionRow(u.token)).lastSeenAt.getTime();
    offsetMs += 10_000;
    await me(u);
    await me(u);
    // Give a write that should not happen the chance to land, then check it did not.
    await new Promise((r) => setTimeout(r, 100));
    expect((await sessionRow(u.token)).lastSeenAt.getTime()).toBe(seen);
  });
});

async function freshSessionOf(u: TestUser): Promise<string> {
  // A session row straight in the database: its token has never been through the cache.
  const token = newSessionToken();
  await t.deps.database.db.insert(sessions).values({
    tokenHash: hashToken(token),
    userId: u.id,
    expiresAt: new Date(Date.now() + 3_600_000),
  });
  return token;
}
