import type { RouteOptions } from 'fastify';
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/app.js';
import { PUBLIC_ROUTES, SPEC_GROUPS } from './specs/index.js';

/*
 * The security suite covers every route by construction: this builds the real app, records each route as it is
 * registered, and fails for any route that is neither in a security spec (tests/security/specs, each run by its
 * area's test file) nor in the commented list of public routes. A new route without one fails here.
 */
const routes: { method: string; url: string }[] = [];
const t = await createTestApp({
  onRoute: (r: RouteOptions) => {
    for (const method of [r.method].flat()) routes.push({ method, url: r.url });
  },
});
const specs = Object.values(SPEC_GROUPS).flatMap((group) => group(t));

/** `/api/keys/:id/models` → matches `/api/keys/<uuid>/models` (the query string aside). */
const matches = (pattern: string, url: string) => {
  const re = new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/:[^/]+/g, '[^/]+')}$`);
  return re.test(url.split('?')[0]);
};
const isPublic = (r: { method: string; url: string }) =>
  PUBLIC_ROUTES.some((p) => p.method === r.method && (typeof p.url === 'string' ? p.url === r.url : p.url.test(r.url)));
// HEAD routes mirror GET routes and run the same hooks.
const checked = routes.filter((r) => r.method !== 'HEAD' && r.method !== 'OPTIONS');

describe('security suite coverage', () => {
  it('sees the app’s routes', () => {
    expect(checked.length).toBeGreaterThan(20);
    expect(checked).toContainEqual({ method: 'PATCH', url: '/api/keys/:id' });
  });

  it('has a security spec or a public-route entry for every route', () => {
    const uncovered = checked.filter(
      (r) => !isPublic(r) && !specs.some((s) => s.method === r.method && matches(r.url, s.url)),
    );
    expect(uncovered, 'routes without a security spec (tests/security/specs) or a PUBLIC_ROUTES entry').toEqual([]);
  });

  it('has no spec or public entry that matches no route (a renamed route keeps its tests)', () => {
    const stale = specs.filter((s) => !checked.some((r) => r.method === s.method && matches(r.url, s.url)));
    expect(stale.map((s) => `${s.method} ${s.url}`)).toEqual([]);
    const unusedPublic = PUBLIC_ROUTES.filter(
      (p) =>
        typeof p.url === 'string' && p.url !== '/*' && !checked.some((r) => r.method === p.method && r.url === p.url),
    );
    expect(unusedPublic.map((p) => `${p.method} ${p.url}`)).toEqual([]);
  });

  it('lists no signed-in route as public', async () => {
    for (const p of PUBLIC_ROUTES.filter((r) => typeof r.url === 'string' && r.url.startsWith('/api/'))) {
      const url = p.url as string;
      const res = await t.app.inject({ method: p.method as 'GET', url, payload: p.method === 'POST' ? {} : undefined });
      expect(res.statusCode, `${p.method} ${url}`).not.toBe(401);
    }
  });
});
