import type { Deps } from '../../deps.js';
import { audit } from '../audit.js';
import { AppError, notFound } from '../errors.js';
import { login } from './login.js';
import { changePassword } from './password.js';
import { LOGIN_LIMITS, type LoginGuard, loginGuard, memoryLimiter, REGISTER_LIMIT } from './rate-limit.js';
import { register } from './register.js';
import { createSessions } from './sessions.js';
import type { AuthContext, RegisterInput, RequestMeta, SessionResolver, SessionView, SignedIn } from './types.js';

export type { AuthContext, PublicUser, RequestMeta, SessionResolver, SessionView, SignedIn } from './types.js';

export interface AccountsService extends SessionResolver {
  /** Lifetime of a new session, for the cookie's Max-Age. */
  readonly sessionTtlSeconds: number;
  register(input: RegisterInput, meta: RequestMeta): Promise<SignedIn>;
  /** 401 for an unknown email, a wrong password or a disabled account alike; 429 when a budget is spent. */
  login(input: { email: string; password: string }, meta: RequestMeta): Promise<SignedIn>;
  /** Revokes the caller's session; its token stops working before this resolves. */
  logout(auth: AuthContext, meta: RequestMeta): Promise<void>;
  changePassword(
    auth: AuthContext,
    input: { currentPassword: string; newPassword: string },
    meta: RequestMeta,
  ): Promise<void>;
  listSessions(auth: AuthContext): Promise<SessionView[]>;
  /** 404 for an unknown id and for another user's session alike. */
  revokeSession(auth: AuthContext, sessionId: string, meta: RequestMeta): Promise<void>;
  /**
   * For whoever changes a user's status or role (admin): drops the cached auth contexts of the user's sessions,
   * awaited, so the change applies on the next request rather than after the `auth` TTL.
   */
  forgetUserSessions(userId: string): Promise<void>;
}

export interface AccountsOptions {
  /** Replaces the in-memory login limiter (e.g. a shared one for several instances, or tighter test budgets). */
  loginGuard?: LoginGuard;
}

export function createAccounts(deps: Deps, opts: AccountsOptions = {}): AccountsService {
  const sessions = createSessions(deps);
  const guard =
    opts.loginGuard ??
    loginGuard(memoryLimiter(LOGIN_LIMITS.account, deps.clock), memoryLimiter(LOGIN_LIMITS.ip, deps.clock));
  const { db } = deps.database;
  const registrations = memoryLimiter(REGISTER_LIMIT, deps.clock);

  const record = (auth: AuthContext, sessionId: string, action: string, meta: RequestMeta) =>
    audit(db, {
      actorUserId: auth.user.id,
      action,
      targetType: 'session',
      targetId: sessionId,
      details: sessionId === auth.sessionId ? { current: true } : undefined,
      ip: meta.ip,
    });

  return {
    resolve: (token) => sessions.resolve(token),
    resolveCached: (token) => sessions.resolveCached(token),
    async register(input, meta) {
      const ip = meta.ip ?? 'unknown';
      const wait = await registrations.blockedFor(ip);
      if (wait > 0)
        throw new AppError(
          'rate_limited',
          'Too many registrations from this address; try again later',
          undefined,
          wait,
        );
      await registrations.fail(ip);
      return register(deps, sessions, input, meta);
    },
    login: (input, meta) => login(deps, sessions, guard, input, meta),
    sessionTtlSeconds: deps.config.sessionTtlHours * 3600,
    async logout(auth, meta) {
      // Idempotent: a concurrent logout or revoke may have won; the cache entry is dropped either way.
      if (!(await sessions.revoke(auth.user.id, auth.sessionId))) await sessions.forget([auth.tokenHash]);
      else await record(auth, auth.sessionId, 'user.logout', meta);
    },
    changePassword: (auth, input, meta) => changePassword(deps, sessions, guard, auth, input, meta),
    listSessions: (auth) => sessions.list(auth),
    forgetUserSessions: (userId) => sessions.forgetUser(userId),
    async revokeSession(auth, sessionId, meta) {
      if (!(await sessions.revoke(auth.user.id, sessionId))) throw notFound('Session');
      await record(auth, sessionId, 'session.revoke', meta);
    },
  };
}
