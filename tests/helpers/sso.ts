import type { LightMyRequestResponse } from 'fastify';
import { afterAll } from 'vitest';
import { startOidcProvider, type TestProvider } from '../support/oidc-provider.js';
import { createTestApp, type TestApp, type TestAppOptions } from './app.js';

/** The portal's origin in the single sign-on tests (requests go through app.inject, so no one listens there). */
export const PORTAL = 'http://portal.test';

/** A real OpenID Provider in this process and a portal configured for it (OIDC_* variables, PUBLIC_URL). */
export async function createSsoApp(
  env: Record<string, string> = {},
  opts: Omit<TestAppOptions, 'env'> = {},
): Promise<{ t: TestApp; provider: TestProvider }> {
  const provider = await startOidcProvider({ redirectUris: [`${PORTAL}/api/auth/oidc/callback`] });
  afterAll(() => provider.close());
  const t = await createTestApp({
    ...opts,
    env: {
      PUBLIC_URL: PORTAL,
      OIDC_ISSUER: provider.issuer,
      OIDC_CLIENT_ID: provider.clientId,
      OIDC_CLIENT_SECRET: provider.clientSecret,
      OIDC_SCOPES: 'openid email profile groups',
      OIDC_NAME: 'Test IdP',
      ...env,
    },
  });
  return { t, provider };
}

export interface SsoStart {
  /** The provider's authorization URL the portal redirected to. */
  authorizationUrl: URL;
  /** The flow's cookie (`kp_sso=<handle>`), as the browser keeps it. */
  cookie: string;
}

export async function startSso(t: TestApp, next?: string): Promise<SsoStart> {
  const res = await t.app.inject({
    method: 'GET',
    url: `/api/auth/oidc/start${next ? `?next=${encodeURIComponent(next)}` : ''}`,
  });
  if (res.statusCode !== 302) throw new Error(`start: ${res.statusCode} ${res.body}`);
  const handle = res.cookies.find((c) => c.name === 'kp_sso')?.value;
  return { authorizationUrl: new URL(res.headers.location as string), cookie: `kp_sso=${handle}` };
}

/** The provider's redirect delivered to the portal with the flow's cookie. */
export function callback(t: TestApp, redirect: URL, cookie: string): Promise<LightMyRequestResponse> {
  return t.app.inject({ method: 'GET', url: `${redirect.pathname}${redirect.search}`, headers: { cookie } });
}

/** A whole sign-in: start, the provider's login as `sub`, the callback. */
export async function ssoSignIn(t: TestApp, provider: TestProvider, sub: string, next?: string) {
  const start = await startSso(t, next);
  const redirect = await provider.signIn(start.authorizationUrl.href, sub);
  const res = await callback(t, redirect, start.cookie);
  return { res, start, redirect };
}

/** The cookie value the answer set, or undefined. */
export const cookieOf = (res: LightMyRequestResponse, name: string) =>
  res.cookies.find((c) => c.name === name && c.value)?.value;
