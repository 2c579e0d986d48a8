import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { RequestMeta, SignedIn } from '../../domain/accounts/types.js';
import type { Services } from '../../services.js';
import { requireAuth, SESSION_COOKIE, sameOriginWrites } from '../plugins/auth.js';
import {
  loginBody,
  meSchema,
  noContent,
  passwordBody,
  registerBody,
  sessionParams,
  sessionsSchema,
  signedInSchema,
} from './auth-schemas.js';

const tags = ['auth'];
const security: Record<string, string[]>[] = [{ bearer: [] }, { cookie: [] }];

/** /api/auth: accounts and sessions (api.md "Auth"). */
export async function authRoutes(parent: FastifyInstance, services: Services): Promise<void> {
  const app = parent.withTypeProvider<ZodTypeProvider>();
  const { accounts } = services;
  // Authentication runs before body parsing and validation: without a session the answer is 401, whatever the body.
  const authed = { onRequest: [app.authenticate] };

  app.post(
    '/auth/register',
    { onRequest: sameOriginWrites, schema: { tags, body: registerBody, response: { 201: signedInSchema } } },
    async (req, reply) => {
      const signedIn = await accounts.register(req.body, meta(req));
      setSessionCookie(req, reply, signedIn, accounts.sessionTtlSeconds);
      return reply.code(201).send(signedIn);
    },
  );

  app.post(
    '/auth/login',
    { onRequest: sameOriginWrites, schema: { tags, body: loginBody, response: { 200: signedInSchema } } },
    async (req, reply) => {
      const signedIn = await accounts.login(req.body, meta(req));
      setSessionCookie(req, reply, signedIn, accounts.sessionTtlSeconds);
      return signedIn;
    },
  );

  app.post(
    '/auth/logout',
    { ...authed, schema: { tags, security, response: { 204: noContent } } },
    async (req, reply) => {
      await accounts.logout(requireAuth(req), meta(req));
      clearSessionCookie(req, reply);
      return reply.code(204).send(null);
    },
  );

  app.get('/auth/me', { ...authed, schema: { tags, security, response: { 200: meSchema } } }, async (req) => ({
    user: requireAuth(req).user,
  }));

  app.post(
    '/auth/password',
    { ...authed, schema: { tags, security, body: passwordBody, response: { 204: noContent } } },
    async (req, reply) => {
      await accounts.changePassword(requireAuth(req), req.body, meta(req));
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/auth/sessions',
    { ...authed, schema: { tags, security, response: { 200: sessionsSchema } } },
    async (req) => ({ items: await accounts.listSessions(requireAuth(req)) }),
  );

  app.delete(
    '/auth/sessions/:id',
    { ...authed, schema: { tags, security, params: sessionParams, response: { 204: noContent } } },
    async (req, reply) => {
      const auth = requireAuth(req);
      await accounts.revokeSession(auth, req.params.id, meta(req));
      // Revoking the session this browser holds is a logout: drop the dead cookie too.
      if (req.params.id === auth.sessionId) clearSessionCookie(req, reply);
      return reply.code(204).send(null);
    },
  );
}

function meta(req: FastifyRequest): RequestMeta {
  return { ip: req.ip, userAgent: req.headers['user-agent'] };
}

function cookieOptions(req: FastifyRequest) {
  return { httpOnly: true, sameSite: 'lax' as const, path: '/', secure: req.protocol === 'https' };
}

// Set-Cookie is written directly: the cookie plugin runs without its per-request hooks (app.ts), and in that
// mode its reply.setCookie would never flush the header.
function setSessionCookie(req: FastifyRequest, reply: FastifyReply, s: SignedIn, maxAge: number): void {
  reply.header('set-cookie', reply.server.serializeCookie(SESSION_COOKIE, s.token, { ...cookieOptions(req), maxAge }));
}

function clearSessionCookie(req: FastifyRequest, reply: FastifyReply): void {
  const expired = { ...cookieOptions(req), expires: new Date(0), maxAge: 0 };
  reply.header('set-cookie', reply.server.serializeCookie(SESSION_COOKIE, '', expired));
}
