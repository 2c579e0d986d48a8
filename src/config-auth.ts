import { z } from 'zod';

/**
 * Sign-in variables: OpenID Connect single sign-on and the second factor (docs/decisions/027, 028). Validated with
 * the rest of the configuration by `loadConfig` in config.ts, which spreads `authEnvShape` into its schema.
 */
const blankToUndefined = z
  .string()
  .trim()
  .transform((s) => (s === '' ? undefined : s))
  .optional();
const list = z
  .string()
  .default('')
  .transform((s) =>
    s
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean),
  );
/** A yes/no variable: `true` or `1` is on; `false`, `0`, empty or unset is off; anything else is refused. */
export const flag = z
  .enum(['true', 'false', '1', '0', ''])
  .default('false')
  .transform((v) => v === 'true' || v === '1');

export const authEnvShape = {
  OIDC_ISSUER: blankToUndefined.pipe(z.url({ message: 'must be a URL' }).optional()),
  OIDC_CLIENT_ID: blankToUndefined,
  OIDC_CLIENT_SECRET: blankToUndefined,
  OIDC_SCOPES: z.string().trim().default('openid email profile'),
  OIDC_NAME: z.string().trim().min(1).max(40).default('SSO'),
  OIDC_ALLOWED_DOMAINS: list,
  OIDC_ADMIN_CLAIM: blankToUndefined,
  OIDC_ADMIN_VALUES: list,
  SSO_ONLY: flag,
  MFA_ISSUER: z.string().trim().min(1).max(60).default('Claude Key Portal'),
  MFA_REMEMBER_DAYS: z.coerce.number().int().min(0).max(365).default(30),
};

export interface OidcConfig {
  /** The provider's issuer; its discovery document is `<issuer>/.well-known/openid-configuration`. */
  issuer: URL;
  clientId: string;
  /** Absent: a public client (PKCE alone). Never logged. */
  clientSecret?: string;
  scopes: string;
  /** The button's label ("Sign in with …"). */
  name: string;
  /** `PUBLIC_URL` + /api/auth/oidc/callback: what the provider must have registered. */
  redirectUri: string;
  /** Lower-case e-mail domains allowed to sign up or link; empty: any. */
  allowedDomains: string[];
  /** A claim (e.g. `groups`) whose value(s) among `adminValues` make the account an admin at each SSO sign-in. */
  adminClaim?: string;
  adminValues: string[];
  /** Password sign-in and registration off, except the ADMIN_EMAIL account's password (the way in when SSO is down). */
  ssoOnly: boolean;
}

export interface MfaConfig {
  /** The issuer name authenticator apps show. */
  mfaIssuer: string;
  /** How long "remember this browser" skips the second factor; 0: never offered. */
  mfaRememberDays: number;
}

type AuthEnv = z.output<z.ZodObject<typeof authEnvShape>>;

export function readAuthConfig(
  e: AuthEnv,
  publicUrl: URL | undefined,
  problems: string[],
): { oidc?: OidcConfig } & MfaConfig {
  const mfa = { mfaIssuer: e.MFA_ISSUER, mfaRememberDays: e.MFA_REMEMBER_DAYS };
  const ssoOnly = e.SSO_ONLY;
  if (!e.OIDC_ISSUER) {
    if (e.OIDC_CLIENT_ID) problems.push('OIDC_CLIENT_ID: needs OIDC_ISSUER');
    if (ssoOnly) problems.push('SSO_ONLY: needs OIDC_ISSUER (single sign-on must be configured)');
    return mfa;
  }
  const issuer = new URL(e.OIDC_ISSUER);
  if (!e.OIDC_CLIENT_ID) problems.push('OIDC_CLIENT_ID: required when OIDC_ISSUER is set');
  if (!publicUrl) problems.push('PUBLIC_URL: required when OIDC_ISSUER is set (the redirect URI is built on it)');
  // Tokens travel over this connection: plain http only to a provider on this machine (development, tests).
  if (issuer.protocol !== 'https:' && !(issuer.protocol === 'http:' && isLoopback(issuer.hostname))) {
    problems.push(`OIDC_ISSUER: must be https (plain http only for a loopback provider), got ${e.OIDC_ISSUER}`);
  }
  if (!e.OIDC_SCOPES.split(/\s+/).includes('openid')) problems.push('OIDC_SCOPES: must include openid');
  if (e.OIDC_ADMIN_CLAIM && e.OIDC_ADMIN_VALUES.length === 0) {
    problems.push('OIDC_ADMIN_VALUES: required with OIDC_ADMIN_CLAIM (which values make an admin)');
  }
  return {
    ...mfa,
    oidc: {
      issuer,
      clientId: e.OIDC_CLIENT_ID ?? '',
      clientSecret: e.OIDC_CLIENT_SECRET,
      scopes: e.OIDC_SCOPES,
      name: e.OIDC_NAME,
      redirectUri: new URL('/api/auth/oidc/callback', publicUrl ?? 'http://localhost').toString(),
      allowedDomains: e.OIDC_ALLOWED_DOMAINS.map((d) => d.toLowerCase().replace(/^@/, '')),
      adminClaim: e.OIDC_ADMIN_CLAIM,
      adminValues: e.OIDC_ADMIN_VALUES,
      ssoOnly,
    },
  };
}

export const isLoopback = (host: string) =>
  host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
