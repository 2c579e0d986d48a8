import { randomBytes } from 'node:crypto';
import type { Deps } from '../../../deps.js';
import { insertAudit } from '../../../infra/db/repos/audit.js';
import { failFlowAttempt, insertFlow, peekFlow, takeFlow } from '../../../infra/db/repos/auth-flows.js';
import { findSsoUserId, touchSsoIdentity } from '../../../infra/db/repos/sso.js';
import { findUserByEmail, findUserById, setLastLogin } from '../../../infra/db/repos/users.js';
import type { OidcClient } from '../../../infra/oidc/client.js';
import { AppError, badRequest } from '../../errors.js';
import type { SecondFactor } from '../mfa/second-factor.js';
import { NO_PASSWORD, verifyPassword } from '../password-hash.js';
import type { LoginGuard } from '../rate-limit.js';
import { hashToken } from '../tokens.js';
import type { RequestMeta, SignInResult } from '../types.js';
import { toPublicUser } from '../view.js';
import {
  adminVerdict,
  applyAdminVerdict,
  domainAllowed,
  link,
  type PendingIdentity,
  signUp,
  ssoRefusal,
} from './accounts.js';

/** An authorization must come back within ten minutes; a pending link or sign-up is finished within fifteen. */
const START_TTL_MS = 10 * 60_000;
const PENDING_TTL_MS = 15 * 60_000;
const PENDING_ATTEMPTS = 5;
const HANDLE = /^[A-Za-z0-9_-]{43}$/;

export type CallbackResult = { signIn: SignInResult; next: string } | { pending: string; next: string };

export interface PendingView {
  kind: 'link' | 'signup';
  email: string;
}

/**
 * OpenID Connect sign-in (docs/decisions/028). The browser holds a random handle (a cookie) to the flow stored
 * here; the state, nonce and PKCE verifier never leave the server. At the callback an identity already linked
 * signs in; an unknown one with a verified address either links to the local account of that address — only once
 * its password is proven — or signs up as the registration policy allows, in the allowed domains only.
 */
export function createSso(
  deps: Deps,
  parts: { client: OidcClient; second: SecondFactor; guard: LoginGuard; forgetUser: (userId: string) => Promise<void> },
) {
  const { db } = deps.database;
  const { client, second, guard, forgetUser } = parts;
  const handle = () => randomBytes(32).toString('base64url');

  async function signIn(userId: string, admin: boolean | undefined, meta: RequestMeta): Promise<SignInResult> {
    const row = await findUserById(db, userId);
    if (row?.status !== 'active') throw ssoRefusal('disabled', 'This account is disabled');
    const user = await applyAdminVerdict(deps, toPublicUser(row), admin, forgetUser);
    await setLastLogin(db, user.id, deps.clock());
    await insertAudit(db, {
      actorUserId: user.id,
      action: 'user.login_sso',
      targetType: 'user',
      targetId: user.id,
      details: { userAgent: meta.userAgent?.slice(0, 200) ?? null },
      ip: meta.ip,
    });
    return second.begin(user, 'sso', meta);
  }

  async function pendingFlow(h: string | undefined) {
    if (!h || !HANDLE.test(h)) return undefined;
    const flow = await peekFlow(db, hashToken(h), 'sso-pending', deps.clock());
    // The row's data is what `callback` below wrote (jsonb): its shape is this module's own.
    return (
      flow && { ...flow, identity: flow.data.identity as PendingIdentity, kind: flow.data.kind as 'link' | 'signup' }
    );
  }
  const expired = () =>
    new AppError('unauthorized', 'This single sign-on expired; start it again', { reason: 'state' });

  return {
    name: deps.config.oidc?.name ?? 'SSO',
    redirectUri: deps.config.oidc?.redirectUri ?? '',

    /** The provider's URL to send the browser to, and the handle for its cookie. */
    async start(next: string): Promise<{ url: string; handle: string }> {
      const { url, checks } = await client.start();
      const h = handle();
      const now = deps.clock();
      await insertFlow(db, {
        idHash: hashToken(h),
        kind: 'oidc',
        data: { ...checks, next },
        now,
        expiresAt: new Date(now.getTime() + START_TTL_MS),
      });
      return { url, handle: h };
    },

    /** The provider sent the browser back: a sign-in, or a pending link or sign-up (a new handle for it). */
    async callback(h: string | undefined, callbackUrl: URL, meta: RequestMeta): Promise<CallbackResult> {
      // Taken (deleted) before anything else: a replayed or second callback finds no flow.
      const flow = h && HANDLE.test(h) ? await takeFlow(db, hashToken(h), 'oidc', deps.clock()) : undefined;
      if (!flow) throw expired();
      // Written by `start` above (jsonb): strings only.
      const { state, nonce, verifier, next } = flow.data as Record<string, string>;
      const identity = await client.finish(callbackUrl, { state, nonce, verifier });
      const admin = adminVerdict(deps, identity);
      const linked = await findSsoUserId(db, identity.issuer, identity.subject);
      if (linked) {
        await touchSsoIdentity(db, identity.issuer, identity.subject, deps.clock());
        return { signIn: await signIn(linked, admin, meta), next };
      }
      if (!identity.email) throw ssoRefusal('email', 'The provider did not share an e-mail address');
      if (!identity.emailVerified) throw ssoRefusal('unverified', 'The provider has not verified this e-mail address');
      if (!domainAllowed(deps, identity.email)) throw ssoRefusal('domain', 'This e-mail domain may not sign in here');
      const pending: PendingIdentity = { ...identity, email: identity.email, admin };
      const existing = await findUserByEmail(db, identity.email);
      if (existing?.passwordHash === NO_PASSWORD) {
        throw ssoRefusal('conflict', 'This address belongs to an account of another sign-in provider');
      }
      if (!existing && deps.config.registration === 'open') {
        const user = await signUp(deps, pending, undefined);
        return { signIn: await signIn(user.id, admin, meta), next };
      }
      if (!existing && deps.config.registration === 'closed') throw ssoRefusal('closed', 'Registration is closed');
      const h2 = handle();
      const now = deps.clock();
      await insertFlow(db, {
        idHash: hashToken(h2),
        kind: 'sso-pending',
        userId: existing?.id,
        data: { kind: existing ? 'link' : 'signup', identity: pending, next },
        now,
        expiresAt: new Date(now.getTime() + PENDING_TTL_MS),
      });
      return { pending: h2, next };
    },

    /** What the pending step needs to show: link (the password) or sign-up (an invite code). */
    async pending(h: string | undefined): Promise<PendingView> {
      const flow = await pendingFlow(h);
      if (!flow) throw expired();
      return { kind: flow.kind, email: flow.identity.email };
    },

    /** Finishes a pending link (the account's password) or sign-up (an invite code). */
    async complete(
      h: string | undefined,
      input: { password?: string; inviteCode?: string },
      meta: RequestMeta,
    ): Promise<SignInResult & { next: string }> {
      const flow = await pendingFlow(h);
      if (!flow) throw expired();
      const idHash = hashToken(h!);
      const next = String(flow.data.next ?? '/');
      if (flow.kind === 'signup') {
        const user = await signUp(deps, flow.identity, input.inviteCode);
        await takeFlow(db, idHash, 'sso-pending', deps.clock());
        return { ...(await signIn(user.id, flow.identity.admin, meta)), next };
      }
      if (!input.password) throw badRequest('password', 'the account’s password is required to link it');
      const attempt = { account: flow.identity.email, ip: meta.ip };
      const { trusted } = await guard.check(attempt);
      const user = flow.userId ? await findUserById(db, flow.userId) : undefined;
      if (!user || !(await verifyPassword(user.passwordHash, input.password))) {
        await guard.failed(attempt, trusted);
        await failFlowAttempt(db, idHash, 'sso-pending', PENDING_ATTEMPTS, deps.clock());
        throw badRequest('password', 'the password is incorrect');
      }
      await guard.succeeded(attempt);
      if (!(await takeFlow(db, idHash, 'sso-pending', deps.clock()))) throw expired();
      await link(deps, flow.identity, user, meta.ip);
      return { ...(await signIn(user.id, flow.identity.admin, meta)), next };
    },
  };
}

export type Sso = ReturnType<typeof createSso>;
