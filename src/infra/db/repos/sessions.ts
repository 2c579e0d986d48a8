import { and, count, desc, eq, gt, inArray, isNotNull, isNull, lt, lte, ne, or, sql } from 'drizzle-orm';
import type { AuthMethod, Role, UserStatus } from '../../../domain/accounts/types.js';
import type { Db } from '../client.js';
import { sessions, totpFactors, users } from '../schema.js';
import { callerColumns } from './users.js';

/** SQL on sessions (the accounts module's): sign-in, every authenticated request's cache miss, revocation. */

export interface SessionRow {
  id: string;
  tokenHash: string;
  userId: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  userAgent: string | null;
  ip: string | null;
  authMethod: AuthMethod;
}

export interface SessionWithUser {
  sessionId: string;
  expiresAt: Date;
  revokedAt: Date | null;
  authMethod: AuthMethod;
  /** The user has a confirmed TOTP factor. */
  mfaEnrolled: boolean;
  user: { id: string; email: string; displayName: string; role: Role; status: UserStatus; createdAt: Date };
}

export type LiveSessionRow = Pick<SessionRow, 'id' | 'createdAt' | 'lastSeenAt' | 'userAgent' | 'ip' | 'authMethod'>;

export async function insertSession(
  db: Db,
  s: {
    tokenHash: string;
    userId: string;
    expiresAt: Date;
    now: Date;
    userAgent?: string;
    ip?: string;
    authMethod: AuthMethod;
  },
): Promise<SessionRow> {
  const [row] = await db
    .insert(sessions)
    .values({
      tokenHash: s.tokenHash,
      userId: s.userId,
      createdAt: s.now,
      lastSeenAt: s.now,
      expiresAt: s.expiresAt,
      userAgent: s.userAgent ?? null,
      ip: s.ip ?? null,
      authMethod: s.authMethod,
    })
    .returning();
  return row;
}

/**
 * The session, its user and whether the user has a second factor, in one indexed lookup: the cache miss path of
 * every authenticated request.
 */
export async function findSessionWithUser(db: Db, tokenHash: string): Promise<SessionWithUser | undefined> {
  const [row] = await db
    .select({
      sessionId: sessions.id,
      expiresAt: sessions.expiresAt,
      revokedAt: sessions.revokedAt,
      authMethod: sessions.authMethod,
      mfaEnrolled: sql<boolean>`${totpFactors.confirmedAt} is not null`,
      user: callerColumns,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .leftJoin(totpFactors, eq(totpFactors.userId, sessions.userId))
    .where(eq(sessions.tokenHash, tokenHash))
    .limit(1);
  return row;
}

/** At most one write per minute per session even across instances: the WHERE skips recent ones. */
export async function touchSession(db: Db, sessionId: string, now: Date, minGapMs: number): Promise<void> {
  await db
    .update(sessions)
    .set({ lastSeenAt: now })
    .where(and(eq(sessions.id, sessionId), lt(sessions.lastSeenAt, new Date(now.getTime() - minGapMs))));
}

/** Revokes one live session of this user; its token hash (to drop from the cache), or undefined if none. */
export async function revokeSession(db: Db, userId: string, sessionId: string, now: Date): Promise<string | undefined> {
  const [row] = await db
    .update(sessions)
    .set({ revokedAt: now })
    .where(and(eq(sessions.id, sessionId), eq(sessions.userId, userId), isNull(sessions.revokedAt)))
    .returning({ tokenHash: sessions.tokenHash });
  return row?.tokenHash;
}

/** Revokes every live session of the user but `keepSessionId` (all of them without one); their token hashes. */
export async function revokeOtherSessions(
  tx: Db,
  userId: string,
  keepSessionId: string | undefined,
  now: Date,
): Promise<string[]> {
  const rows = await tx
    .update(sessions)
    .set({ revokedAt: now })
    .where(
      and(
        eq(sessions.userId, userId),
        keepSessionId ? ne(sessions.id, keepSessionId) : undefined,
        isNull(sessions.revokedAt),
      ),
    )
    .returning({ tokenHash: sessions.tokenHash });
  return rows.map((r) => r.tokenHash);
}

const liveOf = (userId: string, now: Date) =>
  and(eq(sessions.userId, userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, now));

/** One page of the user's live sessions, most recently used first, and how many there are. */
export async function listLiveSessions(
  db: Db,
  userId: string,
  now: Date,
  page: { page: number; pageSize: number },
): Promise<{ items: LiveSessionRow[]; total: number }> {
  const [items, [{ total }]] = await Promise.all([
    db
      .select({
        id: sessions.id,
        createdAt: sessions.createdAt,
        lastSeenAt: sessions.lastSeenAt,
        userAgent: sessions.userAgent,
        ip: sessions.ip,
        authMethod: sessions.authMethod,
      })
      .from(sessions)
      .where(liveOf(userId, now))
      .orderBy(desc(sessions.lastSeenAt), desc(sessions.createdAt), desc(sessions.id))
      .limit(page.pageSize)
      .offset((page.page - 1) * page.pageSize),
    db.select({ total: count() }).from(sessions).where(liveOf(userId, now)),
  ]);
  return { items, total };
}

/**
 * Revokes the user's live sessions beyond the newest `keep` (by creation); their token hashes, to drop from the
 * cache. Two sign-ins at once may each keep the other's session: the cap then holds from the next sign-in on.
 */
export async function revokeBeyond(db: Db, userId: string, keep: number, now: Date): Promise<string[]> {
  const older = db
    .select({ id: sessions.id })
    .from(sessions)
    .where(liveOf(userId, now))
    .orderBy(desc(sessions.createdAt), desc(sessions.id))
    .offset(keep);
  const rows = await db
    .update(sessions)
    .set({ revokedAt: now })
    .where(inArray(sessions.id, older))
    .returning({ tokenHash: sessions.tokenHash });
  return rows.map((r) => r.tokenHash);
}

/** Deletes sessions that can never be used again (expired or revoked); how many. */
export async function purgeDeadSessions(db: Db, now: Date): Promise<number> {
  const rows = await db
    .delete(sessions)
    .where(or(lte(sessions.expiresAt, now), isNotNull(sessions.revokedAt)))
    .returning({ id: sessions.id });
  return rows.length;
}

export async function liveTokenHashes(db: Db, userId: string, now: Date): Promise<string[]> {
  const rows = await db.select({ tokenHash: sessions.tokenHash }).from(sessions).where(liveOf(userId, now));
  return rows.map((r) => r.tokenHash);
}
