import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, isAppError } from '../../domain/errors.js';
import type { Services } from '../../services.js';
import { cookieValues, setSsoCookie } from '../cookies.js';
import { router } from '../route.js';
import { ssoCallbackQuery, ssoCompleteBody, ssoCompleted, ssoPending, ssoStartQuery } from '../schemas/sso.js';
import { requestMeta, signInCookies } from './auth.js';

/** A path of this app (never another origin, never the sign-in pages): where to go once signed in. */
const safeNext = (next: string | undefined) =>
  next?.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') && !next.startsWith('/login') ? next : '/';

/**
 * OpenID Connect single sign-on (docs/decisions/028). The start and the callback are browser navigations, so they
 * answer redirects: to the provider, then back into the app — signed in, to the second factor (`/login#mfa=…`),
 * to the link or invite step (`/sso`), or to `/login?sso_error=<reason>` with nothing signed in.
 */
export async function ssoRoutes(app: FastifyInstance, services: Services): Promise<void> {
  const { accounts } = services;
  const r = router(app, ['auth']);
  const names = app.cookieNames;
  const sso = () => {
    if (!accounts.sso) throw new AppError('not_found', 'Single sign-on is not configured on this portal');
    return accounts.sso;
  };
  const handle = (req: FastifyRequest) => cookieValues(req.headers.cookie, names.sso)[0];
  const redirect = (reply: FastifyReply, to: string) => reply.code(302).header('location', to).send();

  r.get(
    '/auth/oidc/start',
    {
      access: { public: 'starts a sign-in at the OpenID Provider: a redirect, nothing signed in yet' },
      summary: 'Sign in with the OpenID Provider (a redirect to it)',
      querystring: ssoStartQuery,
    },
    async (req, reply) => {
      const { url, handle: h } = await sso().start(safeNext(req.query.next));
      setSsoCookie(req, reply, names, h, 600);
      return redirect(reply, url);
    },
  );

  r.get(
    '/auth/oidc/callback',
    {
      access: {
        public: 'the provider’s redirect back: only the flow this browser started, once, with its state and nonce',
      },
      summary: 'Where the OpenID Provider sends the browser back (a redirect into the app)',
      querystring: ssoCallbackQuery,
    },
    async (req, reply) => {
      const h = handle(req);
      setSsoCookie(req, reply, names, undefined);
      try {
        if (req.query.error) throw new AppError('unauthorized', 'The provider refused', { reason: 'denied' });
        // The redirect URI as registered, with the provider's parameters: what the code was issued for.
        const url = new URL(sso().redirectUri);
        url.search = new URL(req.url, 'http://portal.invalid').search;
        const out = await sso().callback(h, url, requestMeta(req, names));
        if ('pending' in out) {
          setSsoCookie(req, reply, names, out.pending);
          return redirect(reply, `/sso?next=${encodeURIComponent(out.next)}`);
        }
        const body = signInCookies(req, reply, services, out.signIn);
        if ('mfa' in body)
          return redirect(reply, `/login?next=${encodeURIComponent(out.next)}#mfa=${body.mfa.challenge}`);
        return redirect(reply, out.next);
      } catch (e) {
        const reason = isAppError(e) && isReason(e.details) ? e.details.reason : 'failed';
        if (!isAppError(e) || e.status >= 500) req.log.warn({ err: e }, 'single sign-on failed');
        return redirect(reply, `/login?sso_error=${reason}`);
      }
    },
  );

  r.get(
    '/auth/oidc/pending',
    {
      access: { public: 'reads the pending link or sign-up this browser holds (its cookie), nothing else' },
      summary: 'What the single sign-on waits for: the local password (link) or an invite code (sign-up)',
      response: { 200: ssoPending },
    },
    async (req) => sso().pending(handle(req)),
  );

  r.post(
    '/auth/oidc/complete',
    {
      access: {
        public: 'finishes the pending link (the local password, limited as sign-in) or sign-up (an invite code)',
        sameOrigin: true,
      },
      summary: 'Link the identity to your account with its password, or sign up with an invite code',
      body: ssoCompleteBody,
      response: { 200: ssoCompleted },
    },
    async (req, reply) => {
      const { next, ...result } = await sso().complete(handle(req), req.body, requestMeta(req, names));
      setSsoCookie(req, reply, names, undefined);
      return { next, ...signInCookies(req, reply, services, result) };
    },
  );
}

const isReason = (d: unknown): d is { reason: string } =>
  typeof d === 'object' && d !== null && typeof (d as { reason?: unknown }).reason === 'string';
