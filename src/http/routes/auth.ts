import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { RequestMeta } from '../../domain/accounts/types.js';
import type { Services } from '../../services.js';
import { clearSessionCookie, cookieValues, setSignInCookies } from '../cookies.js';
import { sessionToken } from '../plugins/auth.js';
import { router } from '../route.js';
import {
  loginBody,
  meResponse,
  noContent,
  passwordBody,
  registerBody,
  sessionParams,
  sessionResponse,
  sessionsPage,
  sessionsQuery,
  signedInResponse,
} from '../schemas/auth.js';

/** /api/auth: accounts and sessions (docs/api.md §1). */
export async function authRoutes(app: FastifyInstance, { accounts }: Services): Promise<void> {
  const r = router(app, ['auth']);
  const names = app.cookieNames;
  const meta = (req: FastifyRequest): RequestMeta => ({
    ip: req.ip,
    userAgent: req.headers['user-agent'],
    deviceToken: cookieValues(req.headers.cookie, names.device)[0],
  });
  // Both set the session cookie: a cross-site Origin is refused, so another site cannot sign a browser in.
  const signUp = {
    public: 'signing up: rate-limited per address, by the registration policy',
    sameOrigin: true,
  } as const;
  const signIn = { public: 'signing in: rate-limited without lockout (docs/decisions/014)', sameOrigin: true } as const;

  r.post(
    '/auth/register',
    {
      access: signUp,
      summary: 'Create an account and sign in',
      body: registerBody,
      response: { 201: signedInResponse },
      secret: true,
    },
    async (req, reply) => {
      const { deviceToken, ...signedIn } = await accounts.register(req.body, meta(req));
      setSignInCookies(req, reply, names, { ...signedIn, deviceToken, maxAge: accounts.sessionTtlSeconds });
      return reply.code(201).send(signedIn);
    },
  );

  r.post(
    '/auth/login',
    { access: signIn, summary: 'Sign in', body: loginBody, response: { 200: signedInResponse }, secret: true },
    async (req, reply) => {
      const { deviceToken, ...signedIn } = await accounts.login(req.body, meta(req));
      setSignInCookies(req, reply, names, { ...signedIn, deviceToken, maxAge: accounts.sessionTtlSeconds });
      return signedIn;
    },
  );

  r.post(
    '/auth/logout',
    { access: 'user', summary: 'Sign out: end this session', response: { 204: noContent } },
    async (req, reply) => {
      await accounts.logout(req.auth, meta(req));
      clearSessionCookie(req, reply, names);
      return reply.code(204).send(null);
    },
  );

  r.get('/auth/me', { access: 'user', summary: 'Who is signed in', response: { 200: meResponse } }, async (req) => ({
    user: req.auth.user,
  }));

  // The web app's first question (docs/decisions/034): signed out is an answer, not an error, so a signed-out load
  // shows no 401 in the browser's console. Scripts keep /auth/me and its 401.
  r.get(
    '/auth/session',
    {
      access: { public: 'tells the caller only about its own session: whose it is, or null' },
      summary: 'Who is signed in, or null when no one is (never 401)',
      response: { 200: sessionResponse },
    },
    async (req) => {
      const found = sessionToken(req);
      if (!found) return { user: null };
      const cached = accounts.resolveCached(found.token);
      const auth = cached === undefined ? await accounts.resolve(found.token) : cached;
      return { user: auth?.user ?? null };
    },
  );

  r.post(
    '/auth/password',
    {
      access: 'user',
      summary: 'Change the password; ends every other session',
      body: passwordBody,
      response: { 204: noContent },
    },
    async (req, reply) => {
      await accounts.changePassword(req.auth, req.body, meta(req));
      return reply.code(204).send(null);
    },
  );

  r.get(
    '/auth/sessions',
    {
      access: 'user',
      summary: 'Your sessions, newest first',
      querystring: sessionsQuery,
      response: { 200: sessionsPage },
    },
    async (req) => accounts.listSessions(req.auth, req.query),
  );

  r.delete(
    '/auth/sessions/:id',
    { access: 'user', summary: 'Revoke one of your sessions', params: sessionParams, response: { 204: noContent } },
    async (req, reply) => {
      await accounts.revokeSession(req.auth, req.params.id, meta(req));
      // Revoking the session this browser holds is a logout: drop the dead cookie too.
      if (req.params.id === req.auth.sessionId) clearSessionCookie(req, reply, names);
      return reply.code(204).send(null);
    },
  );
}
