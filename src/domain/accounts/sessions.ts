import type { Deps } from '../../deps.js';
import {
  findSessionWithUser,
  insertSession,
  listLiveSessions,
  liveTokenHashes,
  purgeDeadSessions,
  revokeBeyond,
  revokeOtherSessions,
  revokeSession,
  touchSession,
} from '../../infra/db/repos/sessions.js';
import { LAST_USE_EVERY_MS, lastUseRecorder } from './last-use.js';
import { hashToken, looksLikeToken, newSessionToken } from './tokens.js';
import type { AuthContext, AuthMethod, Page, PublicUser, RequestMeta, SessionView, SignedIn } from './types.js';
import { toPublicUser } from './view.js';

export type Sessions = ReturnType<typeof createSessions>;

export function createSessions(deps: Deps) {
  const { db } = deps.database;
  const ttlMs = deps.config.sessionTtlHours * 3_600_000;
  const lastSeen = lastUseRecorder(
    (sessionId, now) => touchSession(db, sessionId, now, LAST_USE_EVERY_MS),
    (err) => deps.logger.warn({ err }, 'could not record session activity'),
  );

  async function load(tokenHash: string): Promise<AuthContext | null> {
    const row = await findSessionWithUser(db, tokenHash);
    if (!row || row.revokedAt || row.user.status !== 'active') return null;
    return {
      sessionId: row.sessionId,
      tokenHash,
      expiresAt: row.expiresAt.getTime(),
      user: toPublicUser(row.user),
      method: row.authMethod,
      mfaEnrolled: row.mfaEnrolled,
    };
  }

  /** A cached context is used only while its session lasts; each use is recorded (at most once a minute). */
  function live(value: AuthContext | null): AuthContext | null {
    if (!value) return null;
    const now = deps.clock();
    if (value.expiresAt <= now.getTime()) return null;
    lastSeen.touch(value.sessionId, now);
    return value;
  }

  const forget = async (tokenHashes: string[]): Promise<void> => {
    await Promise.all(tokenHashes.map((h) => deps.cache.entries.session(h).delete()));
  };

  return {
    /** A new session; beyond SESSION_MAX_PER_USER live ones, the oldest are revoked (and dead at once). */
    async create(user: PublicUser, meta: RequestMeta, method: AuthMethod = 'password'): Promise<SignedIn> {
      const token = newSessionToken();
      const now = deps.clock();
      const expiresAt = new Date(now.getTime() + ttlMs);
      await insertSession(db, {
        tokenHash: hashToken(token),
        userId: user.id,
        expiresAt,
        now,
        userAgent: meta.userAgent?.slice(0, 512),
        ip: meta.ip,
        authMethod: method,
      });
      await forget(await revokeBeyond(db, user.id, deps.config.sessionMaxPerUser, now));
      return { user, token, expiresAt: expiresAt.toISOString() };
    },

    /**
     * Every authenticated request. A cache hit costs one SHA-256 and a memory read; "not found" is cached too,
     * so a replayed dead token does not reach the database either.
     */
    async resolve(token: string): Promise<AuthContext | null> {
      if (!looksLikeToken(token)) return null;
      const tokenHash = hashToken(token);
      // No `user:<id>` tag: user-wide changes (disable, role) go through forgetUser, which looks the sessions up.
      const { value } = await deps.cache.entries.session(tokenHash).getOrLoad(() => load(tokenHash));
      return live(value);
    },

    /** The hot path of resolve, without a promise: the memory tier's answer, or undefined. */
    resolveCached(token: string): AuthContext | null | undefined {
      if (!looksLikeToken(token)) return null;
      const hit = deps.cache.entries.session(hashToken(token)).peek();
      return hit && live(hit.value);
    },

    /**
     * Revokes one of the user's sessions and drops its cache entry before returning: the token is dead when this
     * resolves. False when the user has no such live session (unknown, another user's, revoked already).
     */
    async revoke(userId: string, sessionId: string): Promise<boolean> {
      const tokenHash = await revokeSession(db, userId, sessionId, deps.clock());
      if (!tokenHash) return false;
      lastSeen.forget(sessionId);
      await deps.cache.entries.session(tokenHash).delete();
      return true;
    },

    /** Drops the cache entries of sessions revoked elsewhere (password change), awaited by the caller. */
    forget,

    /** Revokes every live session of the user for good (a disabled user signs in again once re-enabled). */
    async revokeAll(userId: string): Promise<void> {
      await forget(await revokeOtherSessions(db, userId, undefined, deps.clock()));
    },

    /** Drops the cached contexts of all the user's live sessions, so a status or role change applies at once. */
    async forgetUser(userId: string): Promise<void> {
      await forget(await liveTokenHashes(db, userId, deps.clock()));
    },

    async list(auth: AuthContext, page: { page: number; pageSize: number }): Promise<Page<SessionView>> {
      const { items, total } = await listLiveSessions(db, auth.user.id, deps.clock(), page);
      return {
        items: items.map((r) => ({
          id: r.id,
          createdAt: r.createdAt.toISOString(),
          lastSeenAt: r.lastSeenAt.toISOString(),
          userAgent: r.userAgent,
          ip: r.ip,
          current: r.id === auth.sessionId,
          method: r.authMethod,
        })),
        page: page.page,
        pageSize: page.pageSize,
        total,
      };
    },

    /** Deletes expired and revoked sessions (the housekeeping job); how many. */
    purge: () => purgeDeadSessions(db, deps.clock()),
  };
}
