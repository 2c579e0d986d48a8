import type { Deps } from '../../deps.js';
import { insertAudit } from '../../infra/db/repos/audit.js';
import { purgeSetupTokens } from '../../infra/db/repos/settings.js';
import { hasActiveAdmin } from '../../infra/db/repos/users.js';
import type { SharedCounters } from '../../infra/rate-limit/index.js';
import { notFound } from '../errors.js';
import { createLimits } from '../limits.js';
import { changePassword } from './change-password.js';
import { createDevices } from './devices.js';
import { login } from './login.js';
import { loginGuard, REGISTER_LIMIT } from './rate-limit.js';
import { register } from './register.js';
import { createSessions } from './sessions.js';
import type { AuthContext, Page, RegisterInput, RequestMeta, SessionResolver, SessionView, SignedIn } from './types.js';

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
  listSessions(auth: AuthContext, page: { page: number; pageSize: number }): Promise<Page<SessionView>>;
  /** 404 for an unknown id and for another user's session alike. */
  revokeSession(auth: AuthContext, sessionId: string, meta: RequestMeta): Promise<void>;
  /**
   * For whoever changes a user's status or role (admin): drops the cached auth contexts of the user's sessions,
   * awaited, so the change applies on the next request rather than after the `auth` TTL.
   */
  forgetUserSessions(userId: string): Promise<void>;
  /** For whoever disables a user (admin): revokes every live session of the user, dead before this resolves. */
  revokeUserSessions(userId: string): Promise<void>;
  /** True while no active admin exists: the register page then asks for the setup token (/api/meta). */
  setupRequired(): Promise<boolean>;
  /** Deletes dead sessions, ended rate-limit windows and expired setup tokens (the housekeeping job). */
  purge(): Promise<{ sessions: number; counters: number }>;
}

export function createAccounts(deps: Deps, counters: SharedCounters): AccountsService {
  const sessions = createSessions(deps);
  const limits = createLimits(counters, deps.clock);
  const guard = loginGuard(counters, deps.clock);
  const { db } = deps.database;
  const devices = createDevices(db);
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
    resolve: (token) => sessions.resolve(token),
    resolveCached: (token) => sessions.resolveCached(token),
    async register(input, meta) {
      await limits.spend(
        `register:ip:${meta.ip ?? 'unknown'}`,
        REGISTER_LIMIT,
        'Too many registrations from this address; try again later',
      );
      const signedIn = await register(deps, sessions, input, meta);
      return { ...signedIn, deviceToken: await devices.issue(input.email) };
    },
    login: (input, meta) => login(deps, { sessions, guard, devices }, input, meta),
    sessionTtlSeconds: deps.config.sessionTtlHours * 3600,
    async logout(auth, meta) {
      // Idempotent: a concurrent logout or revoke may have won; the cache entry is dropped either way.
      if (!(await sessions.revoke(auth.user.id, auth.sessionId))) await sessions.forget([auth.tokenHash]);
      else await record(auth, auth.sessionId, 'user.logout', meta);
    },
    changePassword: (auth, input, meta) => changePassword(deps, sessions, limits, auth, input, meta),
    listSessions: (auth, page) => sessions.list(auth, page),
    forgetUserSessions: (userId) => sessions.forgetUser(userId),
    revokeUserSessions: (userId) => sessions.revokeAll(userId),
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
      ]);
      return { sessions: dead, counters: ended };
    },
  };
}
