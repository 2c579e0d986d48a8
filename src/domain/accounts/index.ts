import type { Deps } from '../../deps.js';
import { insertAudit } from '../../infra/db/repos/audit.js';
import { purgeFlows } from '../../infra/db/repos/auth-flows.js';
import { purgeTrustedDevices } from '../../infra/db/repos/mfa.js';
import { purgeSetupTokens } from '../../infra/db/repos/settings.js';
import { hasActiveAdmin } from '../../infra/db/repos/users.js';
import type { OidcClient } from '../../infra/oidc/client.js';
import type { SharedCounters } from '../../infra/rate-limit/index.js';
import { notFound } from '../errors.js';
import { createLimits } from '../limits.js';
import { type AccessTokens, createAccessTokens, TOKEN_PREFIX } from './access-tokens.js';
import { changePassword } from './change-password.js';
import { createDevices } from './devices.js';
import { login } from './login.js';
import { createEnrolment, type Enrolment } from './mfa/enrolment.js';
import { createMfaPolicy } from './mfa/policy.js';
import { createSecondFactor, type SecondFactor } from './mfa/second-factor.js';
import { loginGuard, REGISTER_LIMIT } from './rate-limit.js';
import { register } from './register.js';
import { createSessions } from './sessions.js';
import { createSso, type Sso } from './sso/index.js';
import type {
  AuthContext,
  MfaPolicy,
  Page,
  RegisterInput,
  RequestMeta,
  SessionResolver,
  SessionView,
  SignedIn,
  SignInResult,
} from './types.js';

export type {
  AuthContext,
  MfaPolicy,
  PublicUser,
  RequestMeta,
  SessionResolver,
  SessionView,
  SignedIn,
  SignInResult,
} from './types.js';

export interface AccountsService extends SessionResolver {
  /** Lifetime of a new session, for the cookie's Max-Age. */
  readonly sessionTtlSeconds: number;
  /** How long a remembered browser skips the second factor (the cookie's Max-Age); 0: not offered. */
  readonly mfaRememberDays: number;
  register(input: RegisterInput, meta: RequestMeta): Promise<SignedIn>;
  /**
   * 401 for an unknown email, a wrong password or a disabled account alike; 429 when a budget is spent. With a
   * second factor the answer is a challenge for `verifyMfa` instead of a session.
   */
  login(input: { email: string; password: string }, meta: RequestMeta): Promise<SignInResult>;
  /** The second step of a sign-in: the challenge and a TOTP or recovery code. */
  verifyMfa: SecondFactor['verify'];
  /** Enrolment and management of the second factor (the caller's own). */
  mfa: Enrolment;
  /** Who must have a second factor; the admins' setting. */
  mfaPolicy: { get(): Promise<MfaPolicy>; set(actorId: string, policy: MfaPolicy, meta: RequestMeta): Promise<void> };
  /** Personal access tokens (docs/decisions/026). */
  tokens: Pick<AccessTokens, 'create' | 'list' | 'revoke'>;
  /** OpenID Connect single sign-on, when configured (docs/decisions/028). */
  sso?: Sso;
  /** Reads what the hot path needs synchronously (the 2FA policy) before the first request. */
  ready(): Promise<void>;
  /** Revokes the caller's session; its token stops working before this resolves. */
  logout(auth: AuthContext, meta: RequestMeta): Promise<void>;
  changePassword(
    auth: AuthContext,
    input: { currentPassword: string; newPassword: string },
    meta: RequestMeta,
  ): Promise<void>;
  listSessions(auth: AuthContext, page: { page: number; pageSize: number }): Promise<Page<SessionView>>;
  /** 404 for an unknown id and for another user's session alike. */
  revokeSession(auth: AuthContext, sessionId: string, meta: RequestMeta): Promise<void>;
  /**
   * For whoever changes a user's status or role (admin): drops the cached auth contexts of the user's sessions,
   * awaited, so the change applies on the next request rather than after the `auth` TTL.
   */
  forgetUserSessions(userId: string): Promise<void>;
  /** For whoever disables a user (admin): revokes every live session and token of the user, dead before this resolves. */
  revokeUserSessions(userId: string): Promise<void>;
  /** True while no active admin exists: the register page then asks for the setup token (/api/meta). */
  setupRequired(): Promise<boolean>;
  /** Deletes dead sessions, ended rate-limit windows and expired setup tokens (the housekeeping job). */
  purge(): Promise<{ sessions: number; counters: number }>;
}

export function createAccounts(deps: Deps, counters: SharedCounters, oidc?: OidcClient): AccountsService {
  const sessions = createSessions(deps);
  const limits = createLimits(counters, deps.clock);
  const guard = loginGuard(counters, deps.clock);
  const { db } = deps.database;
  const devices = createDevices(db);
  const tokens = createAccessTokens(deps);
  const policy = createMfaPolicy(deps);
  const second = createSecondFactor(deps, { sessions, limits });
  /** Sessions and tokens carry role, status and "has a second factor" in the cache: dropped on any change. */
  const forgetUser = async (userId: string) => {
    await Promise.all([sessions.forgetUser(userId), tokens.forgetUser(userId)]);
  };
  const mfa = createEnrolment(deps, { policy, factor: second, forgetUser });
  const sso = oidc && createSso(deps, { client: oidc, second, guard, forgetUser });
  // Once an admin exists one always will (the last-admin rule), so "setup required" only ever turns off.
  let setupDone = false;

  const record = (auth: AuthContext, sessionId: string, action: string, meta: RequestMeta) =>
    insertAudit(db, {
      actorUserId: auth.user.id,
      action,
      targetType: 'session',
      targetId: sessionId,
      details: sessionId === auth.sessionId ? { current: true } : undefined,
      ip: meta.ip,
    });

  return {
    // A personal access token says what it is by its prefix; everything else is tried as a session token.
    resolve: (token) => (token.startsWith(TOKEN_PREFIX) ? tokens.resolve(token) : sessions.resolve(token)),
    resolveCached: (token) =>
      token.startsWith(TOKEN_PREFIX) ? tokens.resolveCached(token) : sessions.resolveCached(token),
    mfaRequiredFor: (role) => policy.requires(role),
    ready: () => policy.ready(),
    verifyMfa: (input, meta) => second.verify(input, meta),
    mfa,
    mfaPolicy: {
      get: () => policy.get(),
      async set(actorId, value, meta) {
        await policy.set(value, deps.clock());
        await insertAudit(db, {
          actorUserId: actorId,
          action: 'settings.mfa_policy',
          targetType: 'system',
          details: { required: value },
          ip: meta.ip,
        });
      },
    },
    tokens,
    sso,
    async register(input, meta) {
      await limits.spend(
        `register:ip:${meta.ip ?? 'unknown'}`,
        REGISTER_LIMIT,
        'Too many registrations from this address; try again later',
      );
      const signedIn = await register(deps, sessions, input, meta);
      return { ...signedIn, deviceToken: await devices.issue(input.email) };
    },
    login: (input, meta) => login(deps, { second, guard, devices }, input, meta),
    sessionTtlSeconds: deps.config.sessionTtlHours * 3600,
    mfaRememberDays: deps.config.mfaRememberDays,
    async logout(auth, meta) {
      // Idempotent: a concurrent logout or revoke may have won; the cache entry is dropped either way.
      if (!(await sessions.revoke(auth.user.id, auth.sessionId))) await sessions.forget([auth.tokenHash]);
      else await record(auth, auth.sessionId, 'user.logout', meta);
    },
    changePassword: (auth, input, meta) => changePassword(deps, sessions, limits, auth, input, meta),
    listSessions: (auth, page) => sessions.list(auth, page),
    forgetUserSessions: forgetUser,
    // Tokens too: a disabled account's scripts stop for good, as its sessions do.
    revokeUserSessions: async (userId) => {
      await Promise.all([sessions.revokeAll(userId), tokens.revokeAll(userId)]);
    },
    async revokeSession(auth, sessionId, meta) {
      if (!(await sessions.revoke(auth.user.id, sessionId))) throw notFound('Session');
      await record(auth, sessionId, 'session.revoke', meta);
    },
    async setupRequired() {
      if (setupDone) return false;
      setupDone = await hasActiveAdmin(db);
      return !setupDone;
    },
    async purge() {
      const now = deps.clock();
      const [dead, ended] = await Promise.all([
        sessions.purge(),
        counters.purge(now.getTime()),
        purgeSetupTokens(db, now),
        purgeFlows(db, now),
        purgeTrustedDevices(db, now),
      ]);
      return { sessions: dead, counters: ended };
    },
  };
}
