import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
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
    authenticate(req: FastifyRequest, reply: FastifyReply): Promise<void>;
    requireAdmin(req: FastifyRequest, reply: FastifyReply): Promise<void>;
  }
}

/** Reads the session token from `Authorization: Bearer` or the `kp_session` cookie. */
export function sessionToken(req: FastifyRequest): { token: string; via: 'cookie' | 'bearer' } | null {
  const header = req.headers.authorization;
  if (header && header.length > 7 && header.slice(0, 7).toLowerCase() === 'bearer ') {
    return { token: header.slice(7).trim(), via: 'bearer' };
  }
  const cookie = req.cookies?.[SESSION_COOKIE];
  return cookie ? { token: cookie, via: 'cookie' } : null;
}

export function registerAuth(app: FastifyInstance, sessions: SessionResolver): void {
  app.decorateRequest('auth', null);
  app.decorateRequest('authVia', null);

  app.decorate('authenticate', async (req: FastifyRequest) => {
    const found = sessionToken(req);
    const auth = found ? await sessions.resolve(found.token) : null;
    if (!auth) throw new AppError('unauthorized', 'Sign in to continue');
    req.auth = auth;
    req.authVia = found!.via;
    if (found!.via === 'cookie') checkOrigin(req);
  });

  app.decorate('requireAdmin', async (req: FastifyRequest, reply: FastifyReply) => {
    if (!req.auth) await app.authenticate(req, reply);
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
