import type { TestApp } from '../../helpers/app.js';
import type { SecuritySpec } from '../../helpers/security-suite.js';
import { adminSpecs } from './admin.js';
import { authSpecs } from './auth.js';
import { keySpecs } from './keys.js';
import { statsSpecs } from './stats.js';

/**
 * Every signed-in route's security spec, by area. Each area's test file runs its own (`securitySuite(t, spec)`);
 * tests/security/coverage.test.ts checks that together with PUBLIC_ROUTES they cover every route the app has.
 */
export const SPEC_GROUPS: Record<string, (t: TestApp) => SecuritySpec[]> = {
  auth: authSpecs,
  keys: keySpecs,
  stats: statsSpecs,
  admin: adminSpecs,
};

export interface PublicRoute {
  method: string;
  /** The route's pattern, or a test on it. */
  url: string | RegExp;
  why: string;
}

/** The routes anyone may call without signing in, each with the reason it is public. */
export const PUBLIC_ROUTES: PublicRoute[] = [
  { method: 'POST', url: '/api/auth/register', why: 'signing up; rate-limited per address, Origin-checked' },
  { method: 'POST', url: '/api/auth/login', why: 'signing in; rate-limited without lockout, Origin-checked' },
  { method: 'GET', url: '/api/meta', why: 'what the sign-up page needs: policy, caps, whether setup is pending' },
  {
    method: 'GET',
    url: '/api/health',
    why: 'load balancers: up/down only; the details need an admin or the METRICS_TOKEN bearer',
  },
  {
    method: 'GET',
    url: '/livez',
    why: 'liveness for load balancers and Kubernetes: says only that the process answers',
  },
  { method: 'GET', url: '/readyz', why: 'readiness for load balancers and Kubernetes: ready or not, nothing else' },
  {
    method: 'GET',
    url: '/metrics',
    why: 'Prometheus; needs the METRICS_TOKEN bearer when that is set (operations.test.ts)',
  },
  { method: 'GET', url: '/openapi.json', why: 'the API description: no data' },
  { method: 'GET', url: /^\/docs(\/.*)?$/, why: 'the API reference page and its assets' },
  { method: 'GET', url: '/*', why: 'the web UI: index.html for page URLs, JSON 404 for the rest' },
  { method: 'GET', url: /^\/(?!api\/)[^*:]*\.[a-z0-9]+$/i, why: 'the built web UI files (with a web build only)' },
];
