/**
 * The shared security suite (style.md, after Unkey): the same access-control tests for every authenticated
 * route, so a new route cannot forget one. Register it at the top level of a test file:
 *
 *   const t = await createTestApp();
 *
 *   securitySuite(t, {
 *     method: 'PATCH',
 *     url: `/api/keys/${randomUUID()}`,                // any URL of the route (for the 401/403/CSRF tests)
 *     body: {
 *       valid: { name: 'renamed' },                    // sent with every request of the suite
 *       invalid: [{ body: { name: 5 }, field: 'name' }], // each → 400 with details naming `field`
 *     },
 *     // The route reads or changes a resource that belongs to someone: create one for `owner`, return its URL.
 *     // The suite asks for it as another user (→ 404, never 403) and then as the owner (→ not 404).
 *     ownedResource: async (owner) => `/api/keys/${(await createKeyAs(t, owner)).id}`,
 *   });
 *
 *   securitySuite(t, { method: 'GET', url: '/api/admin/users', admin: true }); // a plain user → 403
 *
 * Tests registered: no credentials → 401; a well-formed but unknown token, garbage, and a bad cookie → 401;
 * a token whose session was logged out → 401; two session cookies → 401; an authenticated answer carries
 * `Cache-Control: no-store`; for writes, a cookie-authenticated request from a foreign Origin → 403; with `admin`,
 * a plain user → 403; with `ownedResource`, another user → 404; with `body`, malformed JSON → 400 (`body`), an
 * unknown field → 400 naming it (unless `strict: false`), each invalid case → 400.
 *
 * Every route is covered by construction: the specs live in tests/security/specs (one module per area, run by the
 * area's test file), and tests/security/coverage.test.ts fails for a route that has neither a spec nor a place in
 * the commented list of public routes.
 *
 * `createUser(t, {role})` and `authHeaders(user)` are exported for other tests: users are inserted straight
 * into the database (so the registration policy does not matter) and signed in through the real login route.
 */
import { randomBytes } from 'node:crypto';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/domain/accounts/password-hash.js';
import { users } from '../../src/infra/db/schema.js';
import type { TestApp } from './app.js';

export interface TestUser {
  id: string;
  email: string;
  password: string;
  role: 'user' | 'admin';
  /** The session token from login: use as a bearer token or as the kp_session cookie. */
  token: string;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface SecuritySpec {
  /** Test title prefix; defaults to "METHOD url". */
  name?: string;
  method: Method;
  /** Any URL of the route, for the tests that never reach a resource (also how the coverage check finds it). */
  url: string;
  body?: {
    valid?: unknown;
    invalid?: { body: unknown; field: string }[];
    /** false when the route accepts fields it does not know (default: strict, an unknown field is a 400). */
    strict?: boolean;
  };
  /** The route needs the admin role. */
  admin?: boolean;
  /** Creates a resource owned by `owner` and returns the URL of this route for it. */
  ownedResource?: (owner: TestUser) => Promise<string>;
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** The password of every user createUser makes unless told otherwise. */
export const TEST_PASSWORD = 'correct horse battery staple';
const PASSWORD = TEST_PASSWORD;
let passwordHash: Promise<string> | undefined;

export async function createUser(
  t: TestApp,
  opts: { role?: 'user' | 'admin'; email?: string; password?: string; displayName?: string } = {},
): Promise<TestUser> {
  const email = opts.email ?? `u-${randomBytes(6).toString('hex')}@example.com`;
  const password = opts.password ?? PASSWORD;
  passwordHash ??= hashPassword(PASSWORD);
  const [row] = await t.deps.database.db
    .insert(users)
    .values({
      email,
      passwordHash: password === PASSWORD ? await passwordHash : await hashPassword(password),
      displayName: opts.displayName ?? email.split('@')[0],
      role: opts.role ?? 'user',
    })
    .returning({ id: users.id });
  const token = await login(t, email, password);
  return { id: row.id, email, password, role: opts.role ?? 'user', token };
}

/** Signs in through the real route; returns the session token. */
export async function login(t: TestApp, email: string, password: string): Promise<string> {
  const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  return res.json().token;
}

export const authHeaders = (user: { token: string }) => ({ authorization: `Bearer ${user.token}` });
export const cookieHeaders = (user: { token: string }) => ({ cookie: `kp_session=${user.token}` });

/** A fresh token of the right shape that no session has. */
export const unknownToken = () => randomBytes(32).toString('base64url');

export function securitySuite(app: TestApp | (() => TestApp), spec: SecuritySpec): void {
  // Stable titles: a random id in the URL becomes `:id`.
  const route = spec.url.replace(UUID, ':id');
  const name = spec.name ?? `${spec.method} ${route}`;
  const t = () => (typeof app === 'function' ? app() : app);
  const hasBody = spec.body !== undefined;
  const valid = spec.body?.valid ?? {};

  describe(`${name} — security`, () => {
    let caller: TestUser;
    beforeAll(async () => {
      caller = await createUser(t(), { role: spec.admin ? 'admin' : 'user' });
    });

    const send = async (headers: Record<string, string>, over: Partial<InjectOptions> = {}) => {
      const base: InjectOptions = { method: spec.method, url: spec.url, headers };
      if (hasBody) base.payload = valid as InjectOptions['payload'];
      return t().app.inject({ ...base, ...over, headers: { ...headers, ...over.headers } });
    };

    it('no credentials → 401', async () => {
      expectError(await send({}), 401, 'unauthorized');
    });

    it.each([
      ['an unknown token', () => authHeaders({ token: unknownToken() })],
      ['a garbage token', () => ({ authorization: 'Bearer not-a-token' })],
      ['a bad cookie', () => cookieHeaders({ token: unknownToken() })],
      ['an empty bearer', () => ({ authorization: 'Bearer ' })],
    ])('%s → 401', async (_what, headers) => {
      expectError(await send(headers()), 401, 'unauthorized');
    });

    it('a logged-out session → 401', async () => {
      const user = await createUser(t(), { role: spec.admin ? 'admin' : 'user' });
      const out = await t().app.inject({ method: 'POST', url: '/api/auth/logout', headers: authHeaders(user) });
      expect(out.statusCode).toBe(204);
      expectError(await send(authHeaders(user)), 401, 'unauthorized');
    });

    it('two session cookies (one may be planted by a sibling subdomain) → 401', async () => {
      const res = await send({ cookie: `kp_session=${unknownToken()}; kp_session=${caller.token}` });
      expectError(res, 401, 'unauthorized');
      expect(res.json().error.message).toMatch(/two session cookies/i);
    });

    it('an authenticated answer is never cached (Cache-Control: no-store)', async () => {
      // Its own user: the request may log out or change a password.
      const user = await createUser(t(), { role: spec.admin ? 'admin' : 'user' });
      const res = await send(authHeaders(user));
      expect(res.headers['cache-control'], `${res.statusCode} ${res.body}`).toBe('no-store');
    });

    if (spec.method !== 'GET') {
      it('a cookie-authenticated write from a foreign Origin → 403', async () => {
        const res = await send({ ...cookieHeaders(caller), origin: 'https://evil.example' });
        expectError(res, 403, 'forbidden');
      });
    }

    if (spec.admin) {
      it('a user without the admin role → 403', async () => {
        const plain = await createUser(t());
        expectError(await send(authHeaders(plain)), 403, 'forbidden');
      });
    }

    const owned = spec.ownedResource;
    if (owned) {
      it("another user's resource → 404, the owner's → found", async () => {
        const owner = await createUser(t(), { role: spec.admin ? 'admin' : 'user' });
        const url = await owned(owner);
        expectError(await send(authHeaders(caller), { url }), 404, 'not_found');
        const mine = await send(authHeaders(owner), { url });
        expect(mine.statusCode, mine.body).toBeLessThan(400);
      });
    }

    if (hasBody) {
      it('malformed JSON → 400 naming the body', async () => {
        const res = await send(
          { ...authHeaders(caller), 'content-type': 'application/json' },
          { payload: '{"broken": ' },
        );
        expectBadRequest(res, 'body');
      });

      if (spec.body?.strict !== false && isPlainObject(valid)) {
        it('an unknown field → 400 naming it', async () => {
          const res = await send(authHeaders(caller), { payload: { ...valid, unexpectedField: 1 } });
          expectBadRequest(res, 'unexpectedField');
        });
      }

      for (const bad of spec.body?.invalid ?? []) {
        it(`invalid ${bad.field} (${JSON.stringify(bad.body)}) → 400 naming it`, async () => {
          const res = await send(authHeaders(caller), { payload: bad.body as InjectOptions['payload'] });
          expectBadRequest(res, bad.field);
        });
      }
    }
  });
}

/** Asserts the docs/api.md error envelope with this status and code. */
export function expectError(res: LightMyRequestResponse, status: number, code: string): void {
  expect(res.statusCode, res.body).toBe(status);
  const body = res.json();
  expect(body.error).toMatchObject({ code, requestId: expect.any(String), message: expect.any(String) });
}

/** Asserts a 400 whose details name `field`. */
export function expectBadRequest(res: LightMyRequestResponse, field: string): void {
  expectError(res, 400, 'bad_request');
  // Several unknown fields share one entry ("a, b").
  const paths = (res.json().error.details as { path: string }[]).flatMap((d) => d.path.split(', '));
  expect(paths).toContain(field);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
