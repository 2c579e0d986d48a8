import { and, count, eq, gt, isNotNull, isNull, lt, lte } from 'drizzle-orm';
import type { Db } from '../client.js';
import { recoveryCodes, totpFactors, trustedDevices } from '../schema.js';

/** SQL of the second factor (docs/decisions/027): the TOTP secret, recovery codes, remembered devices. */

export interface TotpRow {
  secret: string;
  confirmedAt: Date | null;
  lastStep: number;
}

export async function findTotp(db: Db, userId: string): Promise<TotpRow | undefined> {
  const [row] = await db
    .select({ secret: totpFactors.secret, confirmedAt: totpFactors.confirmedAt, lastStep: totpFactors.lastStep })
    .from(totpFactors)
    .where(eq(totpFactors.userId, userId));
  return row;
}

/** A new unconfirmed secret, replacing an earlier unconfirmed one; false when a confirmed factor exists. */
export async function startTotp(db: Db, userId: string, secret: string, now: Date): Promise<boolean> {
  const rows = await db
    .insert(totpFactors)
    .values({ userId, secret, createdAt: now })
    .onConflictDoUpdate({
      target: totpFactors.userId,
      set: { secret, createdAt: now, lastStep: 0 },
      setWhere: isNull(totpFactors.confirmedAt),
    })
    .returning({ userId: totpFactors.userId });
  return rows.length === 1;
}

/**
 * Records `step` as the last accepted time step when it is later than the stored one (and confirms the factor):
 * true for the one request that did, false for a replay — also across instances, in one statement.
 */
export async function acceptTotpStep(
  db: Db,
  userId: string,
  step: number,
  now: Date,
  confirm: boolean,
): Promise<boolean> {
  const rows = await db
    .update(totpFactors)
    .set(confirm ? { lastStep: step, confirmedAt: now } : { lastStep: step })
    .where(
      and(
        eq(totpFactors.userId, userId),
        lt(totpFactors.lastStep, step),
        confirm ? isNull(totpFactors.confirmedAt) : isNotNull(totpFactors.confirmedAt),
      ),
    )
    .returning({ userId: totpFactors.userId });
  return rows.length === 1;
}

export async function deleteTotp(db: Db, userId: string): Promise<boolean> {
  const rows = await db.delete(totpFactors).where(eq(totpFactors.userId, userId)).returning({ u: totpFactors.userId });
  return rows.length === 1;
}

/** Replaces the user's recovery codes (all of them, used or not) with these hashes. */
export async function replaceRecoveryCodes(db: Db, userId: string, hashes: string[], now: Date): Promise<void> {
  await db.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
  if (hashes.length) {
    await db.insert(recoveryCodes).values(hashes.map((codeHash) => ({ userId, codeHash, createdAt: now })));
  }
}

/** Marks an unused code used; false when the code is unknown or used already (one statement: used once). */
export async function spendRecoveryCode(db: Db, userId: string, codeHash: string, now: Date): Promise<boolean> {
  const rows = await db
    .update(recoveryCodes)
    .set({ usedAt: now })
    .where(and(eq(recoveryCodes.userId, userId), eq(recoveryCodes.codeHash, codeHash), isNull(recoveryCodes.usedAt)))
    .returning({ id: recoveryCodes.id });
  return rows.length === 1;
}

export async function countUnusedRecoveryCodes(db: Db, userId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(recoveryCodes)
    .where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt)));
  return row.n;
}

export async function insertTrustedDevice(
  db: Db,
  d: { tokenHash: string; userId: string; now: Date; expiresAt: Date },
): Promise<void> {
  await db.insert(trustedDevices).values({ ...d, createdAt: d.now });
}

export async function isTrustedDevice(db: Db, userId: string, tokenHash: string, now: Date): Promise<boolean> {
  const rows = await db
    .select({ h: trustedDevices.tokenHash })
    .from(trustedDevices)
    .where(
      and(
        eq(trustedDevices.tokenHash, tokenHash),
        eq(trustedDevices.userId, userId),
        gt(trustedDevices.expiresAt, now),
      ),
    );
  return rows.length === 1;
}

export async function countTrustedDevices(db: Db, userId: string, now: Date): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(trustedDevices)
    .where(and(eq(trustedDevices.userId, userId), gt(trustedDevices.expiresAt, now)));
  return row.n;
}

export async function deleteTrustedDevices(db: Db, userId: string): Promise<number> {
  const rows = await db
    .delete(trustedDevices)
    .where(eq(trustedDevices.userId, userId))
    .returning({ h: trustedDevices.tokenHash });
  return rows.length;
}

export async function purgeTrustedDevices(db: Db, now: Date): Promise<void> {
  await db.delete(trustedDevices).where(lte(trustedDevices.expiresAt, now));
}
