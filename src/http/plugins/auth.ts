import type { IncomingHttpHeaders } from 'node:http';
import type {
  FastifyContextConfig,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  HookHandlerDoneFunction,
} from 'fastify';
import type { AuthContext, SessionResolver } from '../../domain/accounts/types.js';
import { AppError } from '../../domain/errors.js';
import { type CookieNames, cookieValues } from '../cookies.js';

declare module 'fastify' {
  interface FastifyRequest {
    auth: AuthContext | null;
    /** How the caller authenticated: cookie writes need the CSRF origin check, bearer calls do not. */
    authVia: 'cookie' | 'bearer' | null;
  }
  interface FastifyInstance {
    /** onRequest hook: 401 without a live session; sets `req.auth`. */
    authenticate(req: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void;
    /** Throws 403 for a write whose Origin is not the portal's own (CSRF). */
    checkOrigin(req: FastifyRequest): void;
    cookieNames: CookieNames;
  }
}

export interface AuthOptions {
  cookies: CookieNames;
  /** PUBLIC_URL's origin: the only Origin accepted for writes when set; otherwise the request's own host. */
  publicOrigin?: string;
}

type Via = 'cookie' | 'bearer';

/**
 * Reads the session token from `Authorization: Bearer` or the session cookie (only without a bearer token). Two
 * session cookies are refused rather than guessed between: one of them may have been planted by a sibling
 * subdomain to sign this browser into another account.
 */
export function sessionToken(req: FastifyRequest): { token: string; via: Via } | null {
  return tokenFrom(req.headers, req.server.cookieNames.session);
}

/** sessionToken from the raw headers (the warm lane has no Fastify request). */
export function tokenFrom(headers: IncomingHttpHeaders, sessionCookie: string): { token: string; via: Via } | null {
  const header = headers.authorization;
  if (header && header.length > 7 && header.slice(0, 7).toLowerCase() === 'bearer ') {
    return { token: header.slice(7).trim(), via: 'bearer' };
  }
  const values = cookieValues(headers.cookie, sessionCookie);
  if (values.length > 1) {
    throw new AppError(
      'unauthorized',
      'Two session cookies were sent; sign out, clear this site’s cookies and sign in again',
    );
  }
  return values[0] ? { token: values[0], via: 'cookie' } : null;
}

/**
 * Why a resolved caller may not call a route (its declared token scope and 2FA exemption), or undefined when it may.
 * The CSRF origin check is apart: it depends on the method, and a GET never needs it.
 */
export function refusal(
  auth: AuthContext | null,
  via: Via,
  config: Pick<FastifyContextConfig, 'tokenScope' | 'beforeMfa'>,
  sessions: SessionResolver,
): AppError | undefined {
  // A personal access token is a bearer credential only: as a cookie it would ride along with browser requests.
  if (!auth || (auth.scopes && via === 'cookie')) return new AppError('unauthorized', 'Sign in to continue');
  if (auth.scopes && !(config.tokenScope && auth.scopes.includes(config.tokenScope))) {
    return new AppError(
      'forbidden',
      config.tokenScope
        ? `This personal access token lacks the ${config.tokenScope} scope`
        : 'A personal access token cannot call this route; sign in',
    );
  }
  // The admins' 2FA requirement holds for existing sessions and tokens too: until the user enrols, only the
  // enrolment routes answer (docs/decisions/027). One property read and a comparison on the hot path.
  if (!auth.mfaEnrolled && !config.beforeMfa && sessions.mfaRequiredFor(auth.user.role)) {
    return new AppError('mfa_required', 'Set up two-factor authentication to continue (Settings)');
  }
  return undefined;
}

export function registerAuth(app: FastifyInstance, sessions: SessionResolver, opts: AuthOptions): void {
  app.decorateRequest('auth', null);
  app.decorateRequest('authVia', null);
  app.decorate('cookieNames', opts.cookies);
  app.decorate('checkOrigin', (req: FastifyRequest) => checkOrigin(req, opts.publicOrigin));

  const accept = (req: FastifyRequest, auth: AuthContext | null, via: Via) => {
    const refused = refusal(auth, via, req.routeOptions.config, sessions);
    // A signed-in cookie caller's cross-site write is refused as such before its scope or 2FA is looked at.
    if (via === 'cookie' && refused?.code !== 'unauthorized') checkOrigin(req, opts.publicOrigin);
    if (refused) throw refused;
    req.auth = auth;
    req.authVia = via;
  };

  const authenticate = async (req: FastifyRequest): Promise<void> => {
    const found = sessionToken(req);
    accept(req, found ? await sessions.resolve(found.token) : null, found?.via ?? 'bearer');
  };

  // A callback-style hook that finishes synchronously when the session is in memory (nearly every request):
  // an async hook would cost a promise and its continuations on each authenticated read.
  app.decorate('authenticate', (req: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction) => {
    let found: ReturnType<typeof sessionToken>;
    let cached: AuthContext | null | undefined;
    try {
      found = sessionToken(req);
      cached = found ? sessions.resolveCached(found.token) : null;
      if (cached !== undefined) accept(req, cached, found?.via ?? 'bearer');
    } catch (err) {
      done(err as Error);
      return;
    }
    if (cached === undefined) {
      authenticate(req).then(() => done(), done);
      return;
    }
    done();
  });
}

/** onRequest hook after `authenticate` on admin routes: 403 for a signed-in user without the role. */
export function adminRole(req: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void {
  done(req.auth?.user.role === 'admin' ? undefined : new AppError('forbidden', 'This needs the admin role'));
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CSRF: SameSite=Lax already keeps the cookie off cross-site POSTs; this also refuses a cookie-authenticated
 * write whose Origin is another site (docs/product.md §5). Login and register run it too (as an onRequest hook):
 * they set the session cookie, so another site must not be able to sign a browser into an account of its choice.
 */
export async function sameOriginWrites(req: FastifyRequest): Promise<void> {
  req.server.checkOrigin(req);
}

/**
 * With PUBLIC_URL the Origin must be exactly the portal's origin (scheme, host and port). Without it, the Origin's
 * host must be the request's: `req.host` reads X-Forwarded-Host only from a trusted proxy (TRUST_PROXY), so a
 * client cannot make its own Origin look expected.
 */
function checkOrigin(req: FastifyRequest, publicOrigin: string | undefined): void {
  if (SAFE.has(req.method)) return;
  const origin = req.headers.origin;
  if (!origin) return;
  let given: URL;
  try {
    given = new URL(origin);
  } catch {
    throw new AppError('forbidden', 'Cross-site request refused');
  }
  const ok = publicOrigin ? given.origin === publicOrigin : given.host === req.host;
  if (!ok) throw new AppError('forbidden', 'Cross-site request refused');
}

/**
 * The authenticated caller, for hooks that run behind `authenticate` (route handlers get `req.auth` typed by their
 * declaration, src/http/route.ts).
 */
export function requireAuth(req: FastifyRequest): AuthContext {
  if (!req.auth) throw new AppError('unauthorized', 'Sign in to continue');
  return req.auth;
}
