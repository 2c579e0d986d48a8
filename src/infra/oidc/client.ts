import * as oidc from 'openid-client';
import type { OidcConfig } from '../../config-auth.js';
import { isLoopback } from '../../config-auth.js';
import { AppError } from '../../domain/errors.js';

/*
 * The OpenID Connect relying party (docs/decisions/028), over openid-client: discovery, the authorization URL with
 * PKCE (S256), state and nonce, and the code exchange, which checks the ID token's signature, issuer, audience,
 * expiry and nonce and the state of the callback. Only this file knows openid-client; the rules of sign-up and
 * linking are the domain's (domain/accounts/sso).
 */

/** What the authorization request must be checked against at the callback: kept server-side, never in the URL. */
export interface AuthorizationChecks {
  state: string;
  nonce: string;
  verifier: string;
}

export interface OidcIdentity {
  issuer: string;
  subject: string;
  email?: string;
  emailVerified: boolean;
  name?: string;
  /** The ID token's claims and the userinfo answer, merged (the admin mapping reads a claim from it). */
  claims: Record<string, unknown>;
}

export interface OidcClient {
  /** The provider's authorization URL for a new sign-in, and what its callback must match. */
  start(): Promise<{ url: string; checks: AuthorizationChecks }>;
  /** The callback's URL (code and state) exchanged and verified; a failure is a 401 saying which check failed. */
  finish(callbackUrl: URL, checks: AuthorizationChecks): Promise<OidcIdentity>;
}

/** Seconds for each request to the provider (discovery, token, userinfo). */
const TIMEOUT_S = 10;

export function createOidcClient(config: OidcConfig): OidcClient {
  let discovered: Promise<oidc.Configuration> | undefined;
  const configuration = () => {
    if (!discovered) {
      const auth = config.clientSecret ? oidc.ClientSecretBasic(config.clientSecret) : oidc.None();
      const insecure = config.issuer.protocol === 'http:' && isLoopback(config.issuer.hostname);
      discovered = oidc.discovery(config.issuer, config.clientId, undefined, auth, {
        timeout: TIMEOUT_S,
        ...(insecure ? { execute: [oidc.allowInsecureRequests] } : {}),
      });
      // A provider that was down at the first sign-in is asked again by the next one.
      discovered.catch(() => {
        discovered = undefined;
      });
    }
    return discovered;
  };

  return {
    async start() {
      const cfg = await configuration().catch((e: unknown) => {
        throw new AppError('upstream_unavailable', `The sign-in provider cannot be reached (${explain(e)})`);
      });
      const checks = { state: oidc.randomState(), nonce: oidc.randomNonce(), verifier: oidc.randomPKCECodeVerifier() };
      const url = oidc.buildAuthorizationUrl(cfg, {
        redirect_uri: config.redirectUri,
        scope: config.scopes,
        response_type: 'code',
        code_challenge: await oidc.calculatePKCECodeChallenge(checks.verifier),
        code_challenge_method: 'S256',
        state: checks.state,
        nonce: checks.nonce,
      });
      return { url: url.href, checks };
    },

    async finish(callbackUrl, checks) {
      const cfg = await configuration();
      let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
      try {
        tokens = await oidc.authorizationCodeGrant(cfg, callbackUrl, {
          pkceCodeVerifier: checks.verifier,
          expectedState: checks.state,
          expectedNonce: checks.nonce,
          idTokenExpected: true,
        });
      } catch (e) {
        throw new AppError('unauthorized', `The sign-in provider's answer was refused: ${explain(e)}`, {
          reason: 'rejected',
        });
      }
      const idClaims = tokens.claims();
      if (!idClaims) throw new AppError('unauthorized', 'No ID token', { reason: 'rejected' });
      let info: Record<string, unknown> = {};
      try {
        info = await oidc.fetchUserInfo(cfg, tokens.access_token, idClaims.sub);
      } catch {
        // Userinfo is optional: some providers put everything into the ID token.
      }
      const claims: Record<string, unknown> = { ...info, ...idClaims };
      const email = typeof claims.email === 'string' ? claims.email.trim().toLowerCase() : undefined;
      return {
        issuer: idClaims.iss,
        subject: idClaims.sub,
        email,
        emailVerified: claims.email_verified === true,
        name: typeof claims.name === 'string' ? claims.name : undefined,
        claims,
      };
    },
  };
}

/** The library's message and code, never a token (they do not carry one). */
function explain(e: unknown): string {
  if (e instanceof Error) {
    const code = (e as { code?: unknown }).code;
    return `${typeof code === 'string' ? `${code}: ` : ''}${e.message}`.slice(0, 300);
  }
  return 'unknown error';
}
