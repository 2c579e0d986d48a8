import type { RouteOptions } from 'fastify';
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.js';
import { FRAMEWORK_ROUTES, SPEC_GROUPS } from './specs/index.js';

/*
 * The security suite covers every route by construction: this builds the real app, records each route as it is
 * registered with the access its declaration gives it (src/http/route.ts), and fails for a `user` or `admin` route
 * without a security spec (tests/security/specs, each run by its area's test file), a public route without its
 * reason, and a route with no declared access that is not one of the plugins' own (FRAMEWORK_ROUTES).
 */
interface Seen {
  method: string;
  url: string;
  access?: string;
  why?: string;
}
const routes: Seen[] = [];
const t = await createTestApp({
  onRoute: (r: RouteOptions) => {
    const { access, publicBecause } = r.config ?? {};
    for (const method of [r.method].flat()) routes.push({ method, url: r.url, access, why: publicBecause });
  },
});
const specs = Object.values(SPEC_GROUPS).flatMap((group) => group(t));

/** `/api/keys/:id/models` → matches `/api/keys/<uuid>/models` (the query string aside). */
const matches = (pattern: string, url: string) => {
  const re = new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/:[^/]+/g, '[^/]+')}$`);
  return re.test(url.split('?')[0]);
};
const specsOf = (r: Seen) => specs.filter((s) => s.method === r.method && matches(r.url, s.url));
// HEAD routes mirror GET routes and run the same hooks.
const checked = routes.filter((r) => r.method !== 'HEAD' && r.method !== 'OPTIONS');
const signedIn = checked.filter((r) => r.access === 'user' || r.access === 'admin');
const publicRoutes = checked.filter((r) => r.access === 'public');
const label = (r: { method: string; url: string }) => `${r.method} ${r.url}`;

describe('security suite coverage', () => {
  it('sees the app’s routes and their declared access', () => {
    expect(checked.length).toBeGreaterThan(20);
    expect(checked).toContainEqual({ method: 'PATCH', url: '/api/keys/:id', access: 'user', why: undefined });
    expect(checked).toContainEqual(
      expect.objectContaining({ method: 'GET', url: '/api/admin/users', access: 'admin' }),
    );
  });

  it('has a security spec for every route declared user or admin', () => {
    expect(signedIn.filter((r) => specsOf(r).length === 0).map(label), 'add a spec in tests/security/specs').toEqual(
      [],
    );
  });

  it('tests an admin route as one, and a user route as one', () => {
    const wrong = signedIn.filter((r) => specsOf(r).some((s) => Boolean(s.admin) !== (r.access === 'admin')));
    expect(wrong.map(label)).toEqual([]);
  });

  it('says why each public route is public', () => {
    expect(publicRoutes.filter((r) => !r.why?.trim()).map(label)).toEqual([]);
    expect(publicRoutes.filter((r) => specsOf(r).length > 0).map(label), 'a spec for a public route').toEqual([]);
  });

  it('has a declared access for every route but the plugins’ own', () => {
    const undeclared = checked.filter(
      (r) => r.access === undefined && !FRAMEWORK_ROUTES.some((f) => f.method === r.method && f.url.test(r.url)),
    );
    expect(undeclared.map(label), 'declare the route with router() (src/http/route.ts)').toEqual([]);
  });

  it('has no spec that matches no route (a renamed route keeps its tests)', () => {
    const stale = specs.filter((s) => !checked.some((r) => r.method === s.method && matches(r.url, s.url)));
    expect(stale.map((s) => `${s.method} ${s.url}`)).toEqual([]);
  });

  it('answers a public /api route without a session (nothing signed-in is declared public)', async () => {
    const api = publicRoutes.filter((r) => r.url.startsWith('/api/'));
    expect(api.length).toBeGreaterThan(2);
    for (const r of api) {
      const res = await t.app.inject({
        method: r.method as 'GET',
        url: r.url,
        payload: r.method === 'POST' ? {} : undefined,
      });
      expect(res.statusCode, label(r)).not.toBe(401);
    }
  });
});
