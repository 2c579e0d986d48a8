import type { TestApp } from '../../helpers/app.js';
import type { SecuritySpec } from '../../helpers/security-suite.js';
import { accountSpecs } from './accounts.js';
import { adminSpecs } from './admin.js';
import { authSpecs } from './auth.js';
import { keySpecs } from './keys.js';
import { notificationSpecs } from './notifications.js';
import { statsSpecs } from './stats.js';

/**
 * Every signed-in route's security spec, by area. Each area's test file runs its own (`securitySuite(t, spec)`);
 * tests/security/coverage.test.ts checks that every route declared `user` or `admin` (src/http/route.ts) has one.
 */
export const SPEC_GROUPS: Record<string, (t: TestApp) => SecuritySpec[]> = {
  auth: authSpecs,
  accounts: accountSpecs,
  keys: keySpecs,
  stats: statsSpecs,
  admin: adminSpecs,
  notifications: notificationSpecs,
};

/**
 * Routes that plugins register, not our declarations: they have no declared access, so their reason to be public
 * is written here. Every other route declares its access (and a public one its reason) where it is declared.
 */
export const FRAMEWORK_ROUTES: { method: string; url: RegExp; why: string }[] = [
  { method: 'GET', url: /^\/docs(\/.*)?$/, why: '@fastify/swagger-ui: the API reference page and its assets' },
  {
    method: 'GET',
    url: /^\/(?!api\/)[^*:]*\.[a-z0-9]+$/i,
    why: '@fastify/static: the built web app’s files (with a web build only)',
  },
];
