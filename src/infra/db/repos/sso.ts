import { and, eq } from 'drizzle-orm';
import type { Db } from '../client.js';
import { ssoIdentities } from '../schema.js';

/** SQL on the accounts' links to an OpenID Provider (docs/decisions/028). */

export async function findSsoUserId(db: Db, issuer: string, subject: string): Promise<string | undefined> {
  const [row] = await db
    .select({ userId: ssoIdentities.userId })
    .from(ssoIdentities)
    .where(and(eq(ssoIdentities.issuer, issuer), eq(ssoIdentities.subject, subject)));
  return row?.userId;
}

export async function insertSsoIdentity(
  db: Db,
  i: { issuer: string; subject: string; userId: string; email: string | null; now: Date },
): Promise<void> {
  await db.insert(ssoIdentities).values({ ...i, createdAt: i.now, lastLoginAt: i.now });
}

export async function touchSsoIdentity(db: Db, issuer: string, subject: string, now: Date): Promise<void> {
  await db
    .update(ssoIdentities)
    .set({ lastLoginAt: now })
    .where(and(eq(ssoIdentities.issuer, issuer), eq(ssoIdentities.subject, subject)));
}

export async function countSsoIdentities(db: Db, userId: string): Promise<number> {
  const rows = await db.select({ u: ssoIdentities.userId }).from(ssoIdentities).where(eq(ssoIdentities.userId, userId));
  return rows.length;
}
