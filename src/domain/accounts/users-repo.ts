import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../infra/db/client.js';
import { invites, users } from '../../infra/db/schema.js';

/** SQL on users and invites: with sessions-repo.ts, the only files of the accounts module that know tables. */

export type UserRow = typeof users.$inferSelect;

/** Any lock id distinct from the jobs' leader locks; held for one registration transaction. */
const REGISTRATION_LOCK = 7_340_001;

/**
 * Serialises registrations and the start's admin bootstrap (rare, and passwords are hashed before): a setup token
 * or an invite is judged and used by one of them at a time.
 */
export async function lockRegistrations(tx: Db): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${REGISTRATION_LOCK})`);
}

export async function findUserByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.email, email)).limit(1);
  return row;
}

export async function findUserById(db: Db, id: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.id, id)).limit(1);
  return row;
}

export async function insertUser(
  tx: Db,
  u: { email: string; passwordHash: string; displayName: string; role: 'user' | 'admin'; now: Date },
): Promise<UserRow> {
  const [row] = await tx
    .insert(users)
    .values({
      email: u.email,
      passwordHash: u.passwordHash,
      displayName: u.displayName,
      role: u.role,
      createdAt: u.now,
      updatedAt: u.now,
      lastLoginAt: u.now,
    })
    .returning();
  return row;
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

export async function setLastLogin(db: Db, userId: string, now: Date): Promise<void> {
  await db.update(users).set({ lastLoginAt: now }).where(eq(users.id, userId));
}

export async function setPasswordHash(tx: Db, userId: string, passwordHash: string, now: Date): Promise<void> {
  await tx.update(users).set({ passwordHash, updatedAt: now }).where(eq(users.id, userId));
}

/** Makes an existing user an active admin (the configured ADMIN_EMAIL at start). */
export async function makeActiveAdmin(tx: Db, userId: string, now: Date): Promise<void> {
  await tx.update(users).set({ role: 'admin', status: 'active', updatedAt: now }).where(eq(users.id, userId));
}
