import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  type AuthContext,
  isMfaPending,
  type MfaPending,
  type RequestMeta,
  type SignedIn,
  type SignInResult,
} from '../../domain/accounts/types.js';
import type { Services } from '../../services.js';
import { type CookieNames, clearSessionCookie, cookieValues, setSignInCookies } from '../cookies.js';
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
import { mfaChallenge } from '../schemas/mfa.js';

/** What every sign-in route reads of the request: the address, the agent and the browser's two device cookies. */
export const requestMeta = (req: FastifyRequest, names: CookieNames): RequestMeta => ({
  ip: req.ip,
  userAgent: req.headers['user-agent'],
  deviceToken: cookieValues(req.headers.cookie, names.device)[0],
  trustedDeviceToken: cookieValues(req.headers.cookie, names.trusted)[0],
});

type PublicSignedIn = Omit<SignedIn, 'deviceToken' | 'trustedDeviceToken'>;
type PublicResult = PublicSignedIn | Omit<MfaPending, 'deviceToken'>;

/**
 * Sets the cookies of a sign-in's outcome: the session (and the remembered browser) when signed in; the device
 * cookie in both cases (the password was right). Answers the body without the cookies' values.
 */
export function signInCookies(req: FastifyRequest, reply: FastifyReply, s: Services, r: SignedIn): PublicSignedIn;
export function signInCookies(req: FastifyRequest, reply: FastifyReply, s: Services, r: SignInResult): PublicResult;
export function signInCookies(
  req: FastifyRequest,
  reply: FastifyReply,
  services: Services,
  result: SignInResult,
): PublicResult {
  const { accounts } = services;
  const names = reply.server.cookieNames;
  if (isMfaPending(result)) {
    setSignInCookies(req, reply, names, { deviceToken: result.deviceToken, maxAge: accounts.sessionTtlSeconds });
    return { mfa: result.mfa };
  }
  const { deviceToken, trustedDeviceToken, ...signedIn } = result;
  setSignInCookies(req, reply, names, {
    token: signedIn.token,
    deviceToken,
    trustedDeviceToken,
    maxAge: accounts.sessionTtlSeconds,
    trustedMaxAge: accounts.mfaRememberDays * 86_400,
  });
  return signedIn;
}

/** /api/auth: accounts and sessions (docs/api.md §1). */
export async function authRoutes(app: FastifyInstance, services: Services): Promise<void> {
  const { accounts } = services;
  const r = router(app, ['auth']);
  const names = app.cookieNames;
  const meta = (req: FastifyRequest) => requestMeta(req, names);
  const meOf = (auth: AuthContext) => ({
    user: auth.user,
    method: auth.method,
    mfa: { enrolled: auth.mfaEnrolled, required: accounts.mfaRequiredFor(auth.user.role) },
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
    {
      access: signIn,
      summary: 'Sign in; 202 with a challenge when the account has a second factor',
      body: loginBody,
      response: { 200: signedInResponse, 202: mfaChallenge },
      secret: true,
    },
    async (req, reply) => {
      const result = signInCookies(req, reply, services, await accounts.login(req.body, meta(req)));
      return 'mfa' in result ? reply.code(202).send(result) : result;
    },
  );

  r.post(
    '/auth/logout',
    { access: 'user', beforeMfa: true, summary: 'Sign out: end this session', response: { 204: noContent } },
    async (req, reply) => {
      await accounts.logout(req.auth, meta(req));
      clearSessionCookie(req, reply, names);
      return reply.code(204).send(null);
    },
  );

  r.get(
    '/auth/me',
    { access: 'user', beforeMfa: true, summary: 'Who is signed in', response: { 200: meResponse } },
    async ({ auth }) => meOf(auth),
  );

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
      return !auth || auth.method === 'token' ? { user: null } : meOf(auth);
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
      beforeMfa: true,
      summary: 'Your sessions, newest first',
      querystring: sessionsQuery,
      response: { 200: sessionsPage },
    },
    async (req) => accounts.listSessions(req.auth, req.query),
  );

  r.delete(
    '/auth/sessions/:id',
    {
      access: 'user',
      beforeMfa: true,
      summary: 'Revoke one of your sessions',
      params: sessionParams,
      response: { 204: noContent },
    },
    async (req, reply) => {
      await accounts.revokeSession(req.auth, req.params.id, meta(req));
      // Revoking the session this browser holds is a logout: drop the dead cookie too.
      if (req.params.id === req.auth.sessionId) clearSessionCookie(req, reply, names);
      return reply.code(204).send(null);
    },
  );
}
