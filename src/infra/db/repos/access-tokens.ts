import { and, asc, count, eq, gt, isNull, lt, or, sql } from 'drizzle-orm';
import type { Role, TokenScope, UserStatus } from '../../../domain/accounts/types.js';
import type { Db } from '../client.js';
import { accessTokens, totpFactors, users } from '../schema.js';
import { callerColumns } from './users.js';

/** SQL on personal access tokens (docs/decisions/026). */

export interface AccessTokenRow {
  id: string;
  name: string;
  hint: string;
  scopes: TokenScope[];
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
}

export interface AccessTokenWithUser {
  id: string;
  scopes: TokenScope[];
  expiresAt: Date | null;
  revokedAt: Date | null;
  mfaEnrolled: boolean;
  user: { id: string; email: string; displayName: string; role: Role; status: UserStatus; createdAt: Date };
}

const listColumns = {
  id: accessTokens.id,
  name: accessTokens.name,
  hint: accessTokens.hint,
  scopes: accessTokens.scopes,
  createdAt: accessTokens.createdAt,
  expiresAt: accessTokens.expiresAt,
  lastUsedAt: accessTokens.lastUsedAt,
};

export async function insertAccessToken(
  db: Db,
  t: {
    userId: string;
    name: string;
    tokenHash: string;
    hint: string;
    scopes: TokenScope[];
    expiresAt: Date | null;
    now: Date;
  },
): Promise<AccessTokenRow> {
  const [row] = await db
    .insert(accessTokens)
    .values({ ...t, createdAt: t.now })
    .returning(listColumns);
  return row;
}

const liveOf = (userId: string, now: Date) =>
  and(
    eq(accessTokens.userId, userId),
    isNull(accessTokens.revokedAt),
    or(isNull(accessTokens.expiresAt), gt(accessTokens.expiresAt, now)),
  );

/** The user's live tokens, oldest first (a handful per user: no paging). */
export function listLiveAccessTokens(db: Db, userId: string, now: Date): Promise<AccessTokenRow[]> {
  return db
    .select(listColumns)
    .from(accessTokens)
    .where(liveOf(userId, now))
    .orderBy(asc(accessTokens.createdAt), asc(accessTokens.id));
}

export async function countLiveAccessTokens(db: Db, userId: string, now: Date): Promise<number> {
  const [row] = await db.select({ n: count() }).from(accessTokens).where(liveOf(userId, now));
  return row.n;
}

/** The token and its owner in one indexed lookup: the cache miss of a request carrying a token. */
export async function findAccessTokenWithUser(db: Db, tokenHash: string): Promise<AccessTokenWithUser | undefined> {
  const [row] = await db
    .select({
      id: accessTokens.id,
      scopes: accessTokens.scopes,
      expiresAt: accessTokens.expiresAt,
      revokedAt: accessTokens.revokedAt,
      mfaEnrolled: sql<boolean>`${totpFactors.confirmedAt} is not null`,
      user: callerColumns,
    })
    .from(accessTokens)
    .innerJoin(users, eq(users.id, accessTokens.userId))
    .leftJoin(totpFactors, eq(totpFactors.userId, accessTokens.userId))
    .where(eq(accessTokens.tokenHash, tokenHash))
    .limit(1);
  return row;
}

/** Revokes one live token of this user: its hash (to drop from the cache), or undefined when there is none. */
export async function revokeAccessToken(db: Db, userId: string, id: string, now: Date): Promise<string | undefined> {
  const [row] = await db
    .update(accessTokens)
    .set({ revokedAt: now })
    .where(and(eq(accessTokens.id, id), eq(accessTokens.userId, userId), isNull(accessTokens.revokedAt)))
    .returning({ tokenHash: accessTokens.tokenHash });
  return row?.tokenHash;
}

/** The hashes of the user's live tokens (a disabled user's tokens are dropped from the cache with them). */
export async function liveAccessTokenHashes(db: Db, userId: string, now: Date): Promise<string[]> {
  const rows = await db.select({ h: accessTokens.tokenHash }).from(accessTokens).where(liveOf(userId, now));
  return rows.map((r) => r.h);
}

/** At most one write per `minGapMs` per token, across instances (the WHERE skips recent ones). */
export async function touchAccessToken(db: Db, id: string, now: Date, minGapMs: number): Promise<void> {
  await db
    .update(accessTokens)
    .set({ lastUsedAt: now })
    .where(
      and(
        eq(accessTokens.id, id),
        or(isNull(accessTokens.lastUsedAt), lt(accessTokens.lastUsedAt, new Date(now.getTime() - minGapMs))),
      ),
    );
}

/** Revokes every live token of the user (a disabled account's); their hashes, to drop from the cache. */
export async function revokeUserAccessTokens(db: Db, userId: string, now: Date): Promise<string[]> {
  const rows = await db
    .update(accessTokens)
    .set({ revokedAt: now })
    .where(and(eq(accessTokens.userId, userId), isNull(accessTokens.revokedAt)))
    .returning({ h: accessTokens.tokenHash });
  return rows.map((r) => r.h);
}
