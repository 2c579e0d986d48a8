import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { RequestMeta } from '../../domain/accounts/types.js';
import type { Services } from '../../services.js';
import { clearSessionCookie, cookieValues, setSignInCookies } from '../cookies.js';
import { requireAuth, sameOriginWrites } from '../plugins/auth.js';
import {
  loginBody,
  meSchema,
  noContent,
  passwordBody,
  registerBody,
  sessionParams,
  sessionsQuery,
  sessionsSchema,
  signedInSchema,
} from './auth-schemas.js';

const tags = ['auth'];
const security: Record<string, string[]>[] = [{ bearer: [] }, { cookie: [] }];

/** /api/auth: accounts and sessions (api.md "Auth"). */
export async function authRoutes(parent: FastifyInstance, services: Services): Promise<void> {
  const app = parent.withTypeProvider<ZodTypeProvider>();
  const { accounts } = services;
  const names = app.cookieNames;
  // Authentication runs before body parsing and validation: without a session the answer is 401, whatever the body.
  const authed = { onRequest: [app.authenticate] };
  const meta = (req: FastifyRequest): RequestMeta => ({
    ip: req.ip,
    userAgent: req.headers['user-agent'],
    deviceToken: cookieValues(req.headers.cookie, names.device)[0],
  });

  app.post(
    '/auth/register',
    { onRequest: sameOriginWrites, schema: { tags, body: registerBody, response: { 201: signedInSchema } } },
    async (req, reply) => {
      const { deviceToken, ...signedIn } = await accounts.register(req.body, meta(req));
      setSignInCookies(req, reply, names, { ...signedIn, deviceToken, maxAge: accounts.sessionTtlSeconds });
      return reply.code(201).send(signedIn);
    },
  );

  app.post(
    '/auth/login',
    { onRequest: sameOriginWrites, schema: { tags, body: loginBody, response: { 200: signedInSchema } } },
    async (req, reply) => {
      const { deviceToken, ...signedIn } = await accounts.login(req.body, meta(req));
      setSignInCookies(req, reply, names, { ...signedIn, deviceToken, maxAge: accounts.sessionTtlSeconds });
      return signedIn;
    },
  );

  app.post(
    '/auth/logout',
    { ...authed, schema: { tags, security, response: { 204: noContent } } },
    async (req, reply) => {
      await accounts.logout(requireAuth(req), meta(req));
      clearSessionCookie(req, reply, names);
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
    { ...authed, schema: { tags, security, querystring: sessionsQuery, response: { 200: sessionsSchema } } },
    async (req) => accounts.listSessions(requireAuth(req), req.query),
  );

  app.delete(
    '/auth/sessions/:id',
    { ...authed, schema: { tags, security, params: sessionParams, response: { 204: noContent } } },
    async (req, reply) => {
      const auth = requireAuth(req);
      await accounts.revokeSession(auth, req.params.id, meta(req));
      // Revoking the session this browser holds is a logout: drop the dead cookie too.
      if (req.params.id === auth.sessionId) clearSessionCookie(req, reply, names);
      return reply.code(204).send(null);
    },
  );
}
