import { and, eq, gt, lte } from 'drizzle-orm';
import type { Db } from '../client.js';
import { portalSettings, setupTokens } from '../schema.js';

/** SQL on the deployment-wide settings and the admin setup tokens (docs/decisions/013). */

/** The stored value, creating it with `value` when absent: every instance ends up with the same one. */
export async function settingOrCreate(db: Db, name: string, value: string): Promise<string> {
  await db.insert(portalSettings).values({ name, value }).onConflictDoNothing();
  const [row] = await db
    .select({ value: portalSettings.value })
    .from(portalSettings)
    .where(eq(portalSettings.name, name));
  return row.value;
}

export async function readSetting(db: Db, name: string): Promise<string | undefined> {
  const [row] = await db
    .select({ value: portalSettings.value })
    .from(portalSettings)
    .where(eq(portalSettings.name, name));
  return row?.value;
}

export async function writeSetting(db: Db, name: string, value: string, now: Date): Promise<void> {
  await db
    .insert(portalSettings)
    .values({ name, value, updatedAt: now })
    .onConflictDoUpdate({ target: portalSettings.name, set: { value, updatedAt: now } });
}

/** A new setup token (only its hash); expired ones are dropped first. */
export async function addSetupToken(db: Db, tokenHash: string, now: Date, expiresAt: Date): Promise<void> {
  await purgeSetupTokens(db, now);
  await db.insert(setupTokens).values({ tokenHash, createdAt: now, expiresAt });
}

/** Deletes the token if it is live (true), so it cannot be used twice; false for an unknown or expired one. */
export async function takeSetupToken(tx: Db, tokenHash: string, now: Date): Promise<boolean> {
  const used = await tx
    .delete(setupTokens)
    .where(and(eq(setupTokens.tokenHash, tokenHash), gt(setupTokens.expiresAt, now)))
    .returning({ tokenHash: setupTokens.tokenHash });
  return used.length === 1;
}

export async function deleteSetupTokens(tx: Db): Promise<void> {
  await tx.delete(setupTokens);
}

export async function purgeSetupTokens(db: Db, now: Date): Promise<void> {
  await db.delete(setupTokens).where(lte(setupTokens.expiresAt, now));
}
