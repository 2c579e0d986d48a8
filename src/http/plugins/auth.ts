import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import type { AuthContext, SessionResolver } from '../../domain/accounts/types.js';
import { AppError } from '../../domain/errors.js';

export const SESSION_COOKIE = 'kp_session';

declare module 'fastify' {
  interface FastifyRequest {
    auth: AuthContext | null;
    /** How the caller authenticated: cookie writes need the CSRF origin check, bearer calls do not. */
    authVia: 'cookie' | 'bearer' | null;
  }
  interface FastifyInstance {
    /** onRequest hook: 401 without a live session; sets `req.auth`. */
    authenticate(req: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void;
    requireAdmin(req: FastifyRequest, reply: FastifyReply): Promise<void>;
  }
}

/**
 * Reads the session token from `Authorization: Bearer` or the `kp_session` cookie. Cookies are parsed here,
 * on demand (the cookie plugin runs without its per-request parsing hook), and only without a bearer token.
 */
export function sessionToken(req: FastifyRequest): { token: string; via: 'cookie' | 'bearer' } | null {
  const header = req.headers.authorization;
  if (header && header.length > 7 && header.slice(0, 7).toLowerCase() === 'bearer ') {
    return { token: header.slice(7).trim(), via: 'bearer' };
  }
  const raw = req.headers.cookie;
  if (!raw) return null;
  req.cookies ??= req.server.parseCookie(raw);
  const cookie = req.cookies[SESSION_COOKIE];
  return cookie ? { token: cookie, via: 'cookie' } : null;
}

export function registerAuth(app: FastifyInstance, sessions: SessionResolver): void {
  app.decorateRequest('auth', null);
  app.decorateRequest('authVia', null);

  const accept = (req: FastifyRequest, auth: AuthContext | null, via: 'cookie' | 'bearer') => {
    if (!auth) throw new AppError('unauthorized', 'Sign in to continue');
    req.auth = auth;
    req.authVia = via;
    if (via === 'cookie') checkOrigin(req);
  };

  const authenticate = async (req: FastifyRequest): Promise<void> => {
    const found = sessionToken(req);
    accept(req, found ? await sessions.resolve(found.token) : null, found?.via ?? 'bearer');
  };

  // A callback-style hook that finishes synchronously when the session is in memory (nearly every request):
  // an async hook would cost a promise and its continuations on each authenticated read.
  app.decorate('authenticate', (req: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction) => {
    const found = sessionToken(req);
    const cached = found ? sessions.resolveCached(found.token) : null;
    if (cached === undefined) {
      authenticate(req).then(() => done(), done);
      return;
    }
    try {
      accept(req, cached, found?.via ?? 'bearer');
    } catch (err) {
      done(err as Error);
      return;
    }
    done();
  });

  app.decorate('requireAdmin', async (req: FastifyRequest) => {
    if (!req.auth) await authenticate(req);
    if (req.auth?.user.role !== 'admin') throw new AppError('forbidden', 'This needs the admin role');
  });
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CSRF: SameSite=Lax already keeps the cookie off cross-site POSTs; this also refuses a cookie-authenticated
 * write whose Origin is another site (product.md §5). Login and register run it too (as an onRequest hook):
 * they set the session cookie, so another site must not be able to sign a browser into an account of its choice.
 */
export async function sameOriginWrites(req: FastifyRequest): Promise<void> {
  checkOrigin(req);
}

function checkOrigin(req: FastifyRequest): void {
  if (SAFE.has(req.method)) return;
  const origin = req.headers.origin;
  if (!origin) return;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    throw new AppError('forbidden', 'Cross-site request refused');
  }
  const forwarded = req.headers['x-forwarded-host'];
  const expected = (typeof forwarded === 'string' && forwarded) || req.headers.host;
  if (host !== expected) throw new AppError('forbidden', 'Cross-site request refused');
}

/** The authenticated caller; routes behind `authenticate` call this instead of checking for null. */
export function requireAuth(req: FastifyRequest): AuthContext {
  if (!req.auth) throw new AppError('unauthorized', 'Sign in to continue');
  return req.auth;
}
