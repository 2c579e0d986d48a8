import { and, count, desc, eq, gt, isNotNull, isNull, lte, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../client.js';
import { invites, users } from '../schema.js';

/** SQL of the invite codes: the admin's list and revocation, and a registration's use of one. */

export type InviteStatus = 'active' | 'used' | 'expired' | 'revoked';

export interface InviteRow {
  code: string;
  status: InviteStatus;
  createdAt: Date;
  /** The addresses of the creating admin and of the invitee (null once that account is gone, or unused). */
  createdBy: string | null;
  expiresAt: Date;
  usedAt: Date | null;
  usedBy: string | null;
  revokedAt: Date | null;
}

const creator = alias(users, 'creator');
const user = alias(users, 'invitee');

/** The status as of `now`, in SQL, so the list can filter on it: used wins over revoked, revoked over expired. */
const statusOf = (now: Date) => sql<InviteStatus>`case
  when ${invites.usedAt} is not null then 'used'
  when ${invites.revokedAt} is not null then 'revoked'
  when ${invites.expiresAt} <= ${now} then 'expired'
  else 'active' end`;

const whereStatus = (status: InviteStatus | undefined, now: Date): SQL | undefined => {
  switch (status) {
    case 'used':
      return isNotNull(invites.usedAt);
    case 'revoked':
      return and(isNull(invites.usedAt), isNotNull(invites.revokedAt));
    case 'expired':
      return and(isNull(invites.usedAt), isNull(invites.revokedAt), lte(invites.expiresAt, now));
    case 'active':
      return and(isNull(invites.usedAt), isNull(invites.revokedAt), gt(invites.expiresAt, now));
    default:
      return undefined;
  }
};

export async function insertInvites(
  db: Db,
  codes: string[],
  createdBy: string,
  now: Date,
  expiresAt: Date,
): Promise<void> {
  await db.insert(invites).values(codes.map((code) => ({ code, createdBy, createdAt: now, expiresAt })));
}

export async function listInvites(
  db: Db,
  q: { page: number; pageSize: number; status?: InviteStatus },
  now: Date,
): Promise<{ items: InviteRow[]; total: number }> {
  const where = whereStatus(q.status, now);
  const [items, [{ total }]] = await Promise.all([
    db
      .select({
        code: invites.code,
        status: statusOf(now),
        createdAt: invites.createdAt,
        createdBy: creator.email,
        expiresAt: invites.expiresAt,
        usedAt: invites.usedAt,
        usedBy: user.email,
        revokedAt: invites.revokedAt,
      })
      .from(invites)
      .leftJoin(creator, eq(creator.id, invites.createdBy))
      .leftJoin(user, eq(user.id, invites.usedBy))
      .where(where)
      .orderBy(desc(invites.createdAt), desc(invites.code))
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    db.select({ total: count() }).from(invites).where(where),
  ]);
  return { items, total };
}

/**
 * Revokes a code that is neither used nor revoked; answers what the code was before: undefined when it does not
 * exist, otherwise whether it had been used (a used code cannot be revoked) and whether this call revoked it.
 */
export async function revokeInvite(
  db: Db,
  code: string,
  actorId: string,
  now: Date,
): Promise<{ revoked: boolean; used: boolean } | undefined> {
  const [revoked] = await db
    .update(invites)
    .set({ revokedAt: now, revokedBy: actorId })
    .where(and(eq(invites.code, code), isNull(invites.usedAt), isNull(invites.revokedAt)))
    .returning({ code: invites.code });
  if (revoked) return { revoked: true, used: false };
  const [row] = await db.select({ usedAt: invites.usedAt }).from(invites).where(eq(invites.code, code));
  return row ? { revoked: false, used: row.usedAt !== null } : undefined;
}

/**
 * Locks the invite when it can still be used (not used, revoked or expired); false otherwise. Called before the
 * user row is written, so a bad code answers the same whatever the e-mail address.
 */
export async function lockUsableInvite(tx: Db, code: string, now: Date): Promise<boolean> {
  const rows = await tx
    .select({ code: invites.code })
    .from(invites)
    .where(and(eq(invites.code, code), isNull(invites.usedAt), isNull(invites.revokedAt), gt(invites.expiresAt, now)))
    .for('update');
  return rows.length === 1;
}

export async function markInviteUsed(tx: Db, code: string, userId: string, now: Date): Promise<void> {
  await tx.update(invites).set({ usedBy: userId, usedAt: now }).where(eq(invites.code, code));
}
