import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../infra/db/client.js';
import { invites, users } from '../../infra/db/schema.js';

/** SQL on users and invites: with sessions-repo.ts, the only files of the accounts module that know tables. */

export type UserRow = typeof users.$inferSelect;

/** Any lock id distinct from the jobs' leader locks; held for one registration transaction. */
const REGISTRATION_LOCK = 7_340_001;

/**
 * Serialises registrations (rare, and the password is hashed before): "the first user becomes admin" holds
 * even when two people register on an empty portal at the same moment.
 */
export async function lockRegistrations(tx: Db): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${REGISTRATION_LOCK})`);
}

export async function hasAnyUser(tx: Db): Promise<boolean> {
  const rows = await tx.select({ id: users.id }).from(users).limit(1);
  return rows.length > 0;
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
 * Marks the invite used by `userId`; false when it does not exist or was used already. The row lock of the
 * UPDATE makes a second registration with the same code wait, then see `used_at` set: one code, one account.
 */
export async function consumeInvite(tx: Db, code: string, userId: string, now: Date): Promise<boolean> {
  const rows = await tx
    .update(invites)
    .set({ usedBy: userId, usedAt: now })
    .where(and(eq(invites.code, code), isNull(invites.usedAt)))
    .returning({ code: invites.code });
  return rows.length === 1;
}

export async function setLastLogin(db: Db, userId: string, now: Date): Promise<void> {
  await db.update(users).set({ lastLoginAt: now }).where(eq(users.id, userId));
}

export async function setPasswordHash(tx: Db, userId: string, passwordHash: string, now: Date): Promise<void> {
  await tx.update(users).set({ passwordHash, updatedAt: now }).where(eq(users.id, userId));
}
